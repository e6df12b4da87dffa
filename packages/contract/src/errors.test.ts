import { describe, expect, expectTypeOf, it } from 'vitest'
import { APP_ERRORS, isAppErrorCode, parseErrorBody, type AppErrorCode, type TokenErrorCode } from './errors.ts'

const codes = Object.keys(APP_ERRORS).filter(isAppErrorCode)

describe('the error table', () => {
  it('gives every code an HTTP error status and a tRPC code', () => {
    expect(codes).toHaveLength(Object.keys(APP_ERRORS).length)
    for (const code of codes) {
      const spec = APP_ERRORS[code]
      expect(Number.isInteger(spec.http) && spec.http >= 400 && spec.http <= 599, `${code}: ${spec.http}`).toBe(true)
      expect(spec.trpc, code).toMatch(/^[A-Z_]+$/)
    }
  })

  it('is closed over its codes, token codes included', () => {
    expectTypeOf<TokenErrorCode>().toExtend<AppErrorCode>()
    expectTypeOf<keyof typeof APP_ERRORS>().toEqualTypeOf<AppErrorCode>()
    // @ts-expect-error: a code outside the table has no entry
    expect(APP_ERRORS['NO_SUCH_CODE']).toBeUndefined()
  })

  it('answers every token failure by one rule: no or a bad token 401, a refused one 403', () => {
    const tokenCodes = codes.filter((code) => code.startsWith('TOKEN_'))
    expect(Object.fromEntries(tokenCodes.map((code) => [code, APP_ERRORS[code].http]))).toEqual({
      TOKEN_MISSING: 401,
      TOKEN_MALFORMED: 401,
      TOKEN_INVALID: 401,
      TOKEN_EXPIRED: 401,
      TOKEN_WRONG_AUDIENCE: 403,
      TOKEN_REVOKED: 403,
      TOKEN_WRONG_DEPLOYMENT: 403,
      TOKEN_TTL_OUT_OF_RANGE: 400,
      TOKEN_CLAIMS_INVALID: 500,
    })
  })

  it('does not take inherited names for codes', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(isAppErrorCode(name)).toBe(false)
    expect(isAppErrorCode(404)).toBe(false)
  })
})

describe('parseErrorBody', () => {
  it('reads a podlaunch error answer into its typed code', () => {
    const parsed = parseErrorBody({ error: { code: 'TOKEN_REVOKED', message: 'revoked' }, offset: 3 })
    expect(parsed).toEqual({ code: 'TOKEN_REVOKED', message: 'revoked' })
    expectTypeOf(parsed).toEqualTypeOf<{ code: AppErrorCode; message: string } | undefined>()
  })

  it.each([
    ['not an object', 'oops'],
    ['null', null],
    ['no error', { ok: true }],
    ['an unknown code', { error: { code: 'SOMETHING_NEWER', message: 'x' } }],
    ['a code that is not a string', { error: { code: 409, message: 'x' } }],
    ['no message', { error: { code: 'CONFLICT' } }],
    ['an error that is a string', { error: 'CONFLICT' }],
  ])('gives undefined for %s', (_what, body) => {
    expect(parseErrorBody(body)).toBeUndefined()
  })
})

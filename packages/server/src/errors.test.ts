import { TokenError } from '@podlaunch/tokens'
import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { AppError, APP_ERRORS, appCodeOfTrpc, toAppError, trpcCodeOf, type AppErrorCode } from './errors.ts'

const codes = Object.keys(APP_ERRORS) as AppErrorCode[]
const trpcCodes = Object.keys(TRPC_ERROR_CODES_BY_KEY) as TRPC_ERROR_CODE_KEY[]

describe('the error table on the server', () => {
  it("names only tRPC's own codes, and tRPC answers each with the plain routes' status", () => {
    for (const code of codes) {
      const { http, trpc } = APP_ERRORS[code]
      expect(trpcCodes, code).toContain(trpc)
      // tRPC has no 416: a procedure never serves ranges.
      if (code === 'RANGE_NOT_SATISFIABLE') continue
      expect(getHTTPStatusCodeFromError(new TRPCError({ code: trpc })), code).toBe(http)
    }
  })

  it('gives every error tRPC raises itself a table code', () => {
    for (const trpc of trpcCodes) expect(codes, trpc).toContain(appCodeOfTrpc(trpc))
    // Each code's tRPC code leads back to a table code with that same tRPC code.
    for (const code of codes) {
      const { trpc } = APP_ERRORS[code]
      expect(APP_ERRORS[appCodeOfTrpc(trpc)].trpc, code).toBe(trpc)
    }
  })

  it('lets the code alone fix the status: no status at the throw site, no code outside the table', () => {
    const error = new AppError('OFFSET_MISMATCH', 'continue at 5', { headers: { 'Upload-Offset': '5' }, details: { offset: 5 } })
    expect([error.status, trpcCodeOf(error), error.headers, error.details]).toEqual([
      409,
      'CONFLICT',
      { 'Upload-Offset': '5' },
      { offset: 5 },
    ])
    expectTypeOf(error.status).toEqualTypeOf<409>()
    expectTypeOf(new AppError('NOT_FOUND', 'x').code).toEqualTypeOf<'NOT_FOUND'>()
    // @ts-expect-error: a code outside the table
    expect(() => new AppError('NO_SUCH_CODE', 'x').status).toThrow()
    // @ts-expect-error: the status is the table's, not the caller's
    void new AppError('PATH_NOT_ALLOWED', 'x', 400)
  })

  it('answers token errors by the same table', () => {
    const missing = toAppError(new TokenError('TOKEN_MISSING', 'no token'))
    expect(missing).toBeInstanceOf(AppError)
    expect([missing?.code, missing?.status, missing?.message]).toEqual(['TOKEN_MISSING', 401, 'no token'])
    expect(toAppError(new TokenError('TOKEN_REVOKED', 'revoked'))?.status).toBe(403)
    const own = new AppError('CONFLICT', 'taken')
    expect(toAppError(own)).toBe(own)
    expect(toAppError(new Error('relation "x" does not exist'))).toBeUndefined()
  })
})

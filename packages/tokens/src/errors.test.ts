import { describe, expect, it } from 'vitest'
import { tokenErrorStatus, type TokenErrorCode } from './errors.ts'

describe('tokenErrorStatus (download contract)', () => {
  it.each<[TokenErrorCode, number]>([
    ['TOKEN_MISSING', 400],
    ['TOKEN_MALFORMED', 401],
    ['TOKEN_INVALID', 401],
    ['TOKEN_EXPIRED', 401],
    ['TOKEN_WRONG_AUDIENCE', 403],
    ['TOKEN_REVOKED', 403],
    ['TOKEN_TTL_OUT_OF_RANGE', 400],
    ['TOKEN_CLAIMS_INVALID', 500],
  ])('%s -> %i', (code, status) => {
    expect(tokenErrorStatus(code)).toBe(status)
  })
})

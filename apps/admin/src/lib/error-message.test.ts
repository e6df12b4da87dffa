import { TRPCClientError } from '@trpc/client'
import { describe, expect, it } from 'vitest'
import { errorCode, errorMessage, isUnauthorized } from './error-message.ts'
import { UploadError } from './upload.ts'

/** A procedure's failure as tRPC's client builds it from the server's answer. */
function procedureError(appCode: string, code: string, fieldErrors?: Record<string, string[]>) {
  return TRPCClientError.from({ error: { code: -32001, message: 'refused', data: { code, appCode, httpStatus: 401, fieldErrors } } })
}

describe('reading a failed call', () => {
  it("takes a procedure's app code and an upload's code the same way", () => {
    expect(errorCode(procedureError('UNAUTHORIZED', 'UNAUTHORIZED'))).toBe('UNAUTHORIZED')
    expect(errorCode(new UploadError('PAYLOAD_TOO_LARGE', 'too big', 413))).toBe('PAYLOAD_TOO_LARGE')
    expect(errorCode(new Error('plain'))).toBeUndefined()
  })

  it('logs out on an API key that is no longer accepted, over tRPC or the upload', () => {
    expect(isUnauthorized(procedureError('UNAUTHORIZED', 'UNAUTHORIZED'))).toBe(true)
    expect(isUnauthorized(new UploadError('UNAUTHORIZED', 'a valid API key is required', 401))).toBe(true)
    // A token failure is not the session's key failing.
    expect(isUnauthorized(procedureError('TOKEN_EXPIRED', 'UNAUTHORIZED'))).toBe(false)
    expect(isUnauthorized(new UploadError('NETWORK_ERROR', 'cut'))).toBe(false)
  })

  it('says which fields were wrong', () => {
    expect(errorMessage(procedureError('VALIDATION_FAILED', 'BAD_REQUEST', { name: ['too long'], sizeBytes: ['must be positive'] }))).toBe(
      'name: too long; sizeBytes: must be positive',
    )
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe('The server could not be reached.')
  })
})

// Every refusal podlaunch answers with carries a stable code, and the code alone fixes how it
// travels: its HTTP status on the plain routes (uploads, downloads, pod endpoints) and its tRPC
// code on procedures. Nothing picks a status where the error is thrown. Clients branch on the
// code, never on the message.

/** What a code fixes. `trpc` is a tRPC error code key (the server checks them against tRPC's list). */
export interface ErrorSpec {
  readonly http: number
  readonly trpc: string
}

/** Codes @podlaunch/tokens produces, verifying (or checking revocation) and minting. */
const TOKEN_ERRORS = {
  // A missing credential is an authentication failure like a bad one (RFC 9110 §15.5.2), on
  // every route: API-key routes answer UNAUTHORIZED the same way.
  TOKEN_MISSING: { http: 401, trpc: 'UNAUTHORIZED' },
  TOKEN_MALFORMED: { http: 401, trpc: 'UNAUTHORIZED' },
  TOKEN_INVALID: { http: 401, trpc: 'UNAUTHORIZED' },
  TOKEN_EXPIRED: { http: 401, trpc: 'UNAUTHORIZED' },
  // A genuine token, but of another kind, or revoked: authenticated, not allowed.
  TOKEN_WRONG_AUDIENCE: { http: 403, trpc: 'FORBIDDEN' },
  TOKEN_REVOKED: { http: 403, trpc: 'FORBIDDEN' },
  // A ttl outside (0, 24 h] comes from the caller's request.
  TOKEN_TTL_OUT_OF_RANGE: { http: 400, trpc: 'BAD_REQUEST' },
  // Claims that do not fit the kind are a bug in our own code, not the caller's.
  TOKEN_CLAIMS_INVALID: { http: 500, trpc: 'INTERNAL_SERVER_ERROR' },
} as const satisfies Record<`TOKEN_${string}`, ErrorSpec>

export const APP_ERRORS = {
  BAD_REQUEST: { http: 400, trpc: 'BAD_REQUEST' },
  /** Input that failed its schema; tRPC answers carry `fieldErrors` beside it. */
  VALIDATION_FAILED: { http: 400, trpc: 'BAD_REQUEST' },
  PATH_NOT_ALLOWED: { http: 400, trpc: 'BAD_REQUEST' },
  SIZE_MISMATCH: { http: 400, trpc: 'BAD_REQUEST' },
  CHECKSUM_MISMATCH: { http: 400, trpc: 'BAD_REQUEST' },
  UNAUTHORIZED: { http: 401, trpc: 'UNAUTHORIZED' },
  FORBIDDEN: { http: 403, trpc: 'FORBIDDEN' },
  /** A pod token used for a deployment it does not belong to. */
  TOKEN_WRONG_DEPLOYMENT: { http: 403, trpc: 'FORBIDDEN' },
  NOT_FOUND: { http: 404, trpc: 'NOT_FOUND' },
  METHOD_NOT_ALLOWED: { http: 405, trpc: 'METHOD_NOT_SUPPORTED' },
  CONFLICT: { http: 409, trpc: 'CONFLICT' },
  ILLEGAL_TRANSITION: { http: 409, trpc: 'CONFLICT' },
  UPLOAD_IN_PROGRESS: { http: 409, trpc: 'CONFLICT' },
  /** An artifact PUT that does not start at the server's offset (answered with `Upload-Offset`). */
  OFFSET_MISMATCH: { http: 409, trpc: 'CONFLICT' },
  PRECONDITION_FAILED: { http: 412, trpc: 'PRECONDITION_FAILED' },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, trpc: 'UNSUPPORTED_MEDIA_TYPE' },
  // tRPC has no 416; a procedure never serves ranges anyway.
  RANGE_NOT_SATISFIABLE: { http: 416, trpc: 'BAD_REQUEST' },
  INTERNAL: { http: 500, trpc: 'INTERNAL_SERVER_ERROR' },
  PROVIDER_ERROR: { http: 502, trpc: 'BAD_GATEWAY' },
  UNAVAILABLE: { http: 503, trpc: 'SERVICE_UNAVAILABLE' },
  ...TOKEN_ERRORS,
} as const satisfies Record<string, ErrorSpec>

/** Every code a podlaunch server answers with. */
export type AppErrorCode = keyof typeof APP_ERRORS
export type TokenErrorCode = keyof typeof TOKEN_ERRORS

export function isAppErrorCode(value: unknown): value is AppErrorCode {
  return typeof value === 'string' && Object.hasOwn(APP_ERRORS, value)
}

/** The body of every refused plain-HTTP request; some codes add fields beside `error` (e.g. `offset`). */
export interface ErrorBody {
  error: { code: AppErrorCode; message: string }
}

/**
 * The `error` of a plain-HTTP answer's JSON, or undefined when the body is not podlaunch's error
 * shape or names a code this version does not know (a proxy's page, a newer server).
 */
export function parseErrorBody(body: unknown): ErrorBody['error'] | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined
  const error = body.error
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) return undefined
  const { code, message } = error
  return isAppErrorCode(code) && typeof message === 'string' ? { code, message } : undefined
}

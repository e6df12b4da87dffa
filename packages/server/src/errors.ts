import type { TRPC_ERROR_CODE_KEY } from '@trpc/server'

/**
 * Every domain error has a stable code. This table is the one place that maps a code to a
 * tRPC code and an HTTP status; clients branch on `code`, never on message text.
 */
export const APP_ERRORS = {
  BAD_REQUEST: { trpc: 'BAD_REQUEST', http: 400 },
  VALIDATION_FAILED: { trpc: 'BAD_REQUEST', http: 400 },
  UNAUTHORIZED: { trpc: 'UNAUTHORIZED', http: 401 },
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403 },
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  CONFLICT: { trpc: 'CONFLICT', http: 409 },
  ILLEGAL_TRANSITION: { trpc: 'CONFLICT', http: 409 },
  UPLOAD_IN_PROGRESS: { trpc: 'CONFLICT', http: 409 },
  PRECONDITION_FAILED: { trpc: 'PRECONDITION_FAILED', http: 412 },
  PATH_NOT_ALLOWED: { trpc: 'BAD_REQUEST', http: 400 },
  PAYLOAD_TOO_LARGE: { trpc: 'PAYLOAD_TOO_LARGE', http: 413 },
  SIZE_MISMATCH: { trpc: 'BAD_REQUEST', http: 400 },
  CHECKSUM_MISMATCH: { trpc: 'BAD_REQUEST', http: 400 },
  RANGE_NOT_SATISFIABLE: { trpc: 'BAD_REQUEST', http: 416 },
  PROVIDER_ERROR: { trpc: 'BAD_GATEWAY', http: 502 },
  UNAVAILABLE: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', http: 500 },
} as const satisfies Record<string, { trpc: TRPC_ERROR_CODE_KEY; http: number }>

export type AppErrorCode = keyof typeof APP_ERRORS

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode | (string & {}),
    message: string,
    /** HTTP status for codes outside APP_ERRORS (e.g. token codes). */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'AppError'
  }
}

export function httpStatusOf(error: AppError): number {
  return error.status ?? APP_ERRORS[error.code as AppErrorCode]?.http ?? 500
}

export function trpcCodeOf(error: AppError): TRPC_ERROR_CODE_KEY {
  return APP_ERRORS[error.code as AppErrorCode]?.trpc ?? 'INTERNAL_SERVER_ERROR'
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found`)
}

import { APP_ERRORS, type AppErrorCode, type ErrorSpec } from '@podlaunch/contract'
import { isTokenError } from '@podlaunch/tokens'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server'

export { APP_ERRORS }
export type { AppErrorCode }

// The contract spells tRPC codes as strings (it does not depend on tRPC); here they must be tRPC's.
APP_ERRORS satisfies Record<AppErrorCode, ErrorSpec & { trpc: TRPC_ERROR_CODE_KEY }>

export interface AppErrorOptions extends ErrorOptions {
  /** Headers the answer needs beside the error (Retry-After, Content-Range on a 416, Allow on a 405). */
  headers?: Record<string, string>
  /** Fields of a plain-HTTP answer beside `error`, e.g. an artifact upload's `offset`. */
  details?: Record<string, unknown>
}

/**
 * A refusal with a stable code. The code fixes the HTTP status and the tRPC code (APP_ERRORS);
 * the throw site picks only the code and a message a caller may read (no secrets, no internals).
 */
export class AppError<C extends AppErrorCode = AppErrorCode> extends Error {
  override readonly name = 'AppError'
  readonly headers: Readonly<Record<string, string>>
  readonly details: Readonly<Record<string, unknown>>

  constructor(
    readonly code: C,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options)
    this.headers = options.headers ?? {}
    this.details = options.details ?? {}
  }

  get status(): (typeof APP_ERRORS)[C]['http'] {
    return APP_ERRORS[this.code].http
  }
}

/**
 * The AppError an error stands for: itself, or a TokenError under its own code; undefined for
 * anything unexpected (a bug, a database failure), which must not reach a caller as it is.
 */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error
  if (isTokenError(error)) return new AppError(error.code, error.message, { cause: error })
  return undefined
}

export function trpcCodeOf(error: AppError): TRPC_ERROR_CODE_KEY {
  return APP_ERRORS[error.code].trpc
}

/**
 * The app code of errors tRPC raises itself (an unknown procedure, unparsable input, a wrong
 * method). Closed over tRPC's codes, so every error a procedure answers has an app code.
 */
const APP_CODE_OF_TRPC = {
  PARSE_ERROR: 'BAD_REQUEST',
  BAD_REQUEST: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'VALIDATION_FAILED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  PAYMENT_REQUIRED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PRECONDITION_REQUIRED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  CLIENT_CLOSED_REQUEST: 'BAD_REQUEST',
  TOO_MANY_REQUESTS: 'UNAVAILABLE',
  TIMEOUT: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
  NOT_IMPLEMENTED: 'INTERNAL',
  BAD_GATEWAY: 'PROVIDER_ERROR',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
  GATEWAY_TIMEOUT: 'UNAVAILABLE',
} as const satisfies Record<TRPC_ERROR_CODE_KEY, AppErrorCode>

export function appCodeOfTrpc(code: TRPC_ERROR_CODE_KEY): AppErrorCode {
  return APP_CODE_OF_TRPC[code]
}

export function notFound(what: string): AppError<'NOT_FOUND'> {
  return new AppError('NOT_FOUND', `${what} not found`)
}

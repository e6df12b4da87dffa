import { isTRPCClientError, type TRPCClientError } from '@trpc/client'
import { parseErrorBody, type AppErrorCode } from '@podlaunch/contract'
import type { ClientRouter as AppRouter } from '@podlaunch/server'

/**
 * Codes the SDK gives itself: the server could not be reached (NETWORK_ERROR), did not finish in
 * time (TIMEOUT), answered something that is not a podlaunch error (UNEXPECTED_RESPONSE: a
 * proxy's page, or a code newer than this SDK), or the caller cancelled (ABORTED).
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'UNEXPECTED_RESPONSE' | 'ABORTED'

/** Every code a PodlaunchError can carry: the server's table, then the SDK's own. */
export type PodlaunchErrorCode = AppErrorCode | ClientErrorCode

/** An SDK failure with a stable `code`; branch on it, never on the message. */
export class PodlaunchError extends Error {
  override name = 'PodlaunchError'
  constructor(
    readonly code: PodlaunchErrorCode,
    message: string,
    /** The HTTP status the server answered, when it answered. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

type PodlaunchErrorClass = new (code: PodlaunchErrorCode, message: string, status?: number, options?: ErrorOptions) => PodlaunchError

/** A failed procedure call, typed by the router: `error.data?.appCode` is an AppErrorCode. */
export function isPodlaunchTrpcError(error: unknown): error is TRPCClientError<AppRouter> {
  return isTRPCClientError<AppRouter>(error)
}

/** The server's stable code of a failed procedure call (undefined when the server never answered). */
export function appCodeOf(error: unknown): AppErrorCode | undefined {
  return isPodlaunchTrpcError(error) ? error.data?.appCode : undefined
}

/** A tRPC error as `ErrorClass` carrying its app code; anything else as it is. */
export function typedTrpcError(ErrorClass: PodlaunchErrorClass, error: unknown): unknown {
  if (!isPodlaunchTrpcError(error)) return error
  const data = error.data
  // No data: the call never got a tRPC answer (no connection, or something else answered).
  const code = data ? data.appCode : error.meta?.response ? 'UNEXPECTED_RESPONSE' : 'NETWORK_ERROR'
  return new ErrorClass(code, error.message, data?.httpStatus, { cause: error })
}

export function rethrowTrpcError(ErrorClass: PodlaunchErrorClass, error: unknown): never {
  throw typedTrpcError(ErrorClass, error)
}

/**
 * The error of a refused plain-HTTP answer (upload, download), from its
 * `{"error":{"code","message"}}` body into the same typed codes as tRPC errors.
 */
export async function errorFromResponse(ErrorClass: PodlaunchErrorClass, res: Response, what: string): Promise<PodlaunchError> {
  const parsed = parseErrorBody(await res.json().catch(() => undefined))
  if (parsed) return new ErrorClass(parsed.code, parsed.message, res.status)
  return new ErrorClass('UNEXPECTED_RESPONSE', `${what} failed with HTTP ${res.status}`, res.status)
}

// Compiled, never run: errors are read typed, without casts.
import { appCodeOf, isPodlaunchTrpcError, PodlaunchError, type AppErrorCode, type PodlaunchErrorCode } from '@podlaunch/client'

/** Errors are read typed, without casts: a procedure's app code, or a helper's code. */
export function codeOf(error: unknown): PodlaunchErrorCode | undefined {
  if (isPodlaunchTrpcError(error)) {
    const fromData: AppErrorCode | undefined = error.data?.appCode
    return fromData
  }
  return error instanceof PodlaunchError ? error.code : appCodeOf(error)
}

// @ts-expect-error: a code outside the server's table (the contract's, not the router's)
export const unknownCode: AppErrorCode = 'NO_SUCH_CODE'

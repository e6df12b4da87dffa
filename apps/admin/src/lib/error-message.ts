import { appCodeOf, isPodlaunchTrpcError, PodlaunchError, type PodlaunchErrorCode } from '@podlaunch/client'

/**
 * The stable code of a failed call: a procedure's app code (typed by the router, no cast), or
 * an upload's code from the server's `{error:{code}}` answer. Clients branch on it.
 */
export function errorCode(error: unknown): PodlaunchErrorCode | undefined {
  return error instanceof PodlaunchError ? error.code : appCodeOf(error)
}

/** The API key is not (or no longer) accepted. */
export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === 'UNAUTHORIZED'
}

/** One readable line for a failed call, field errors included. */
export function errorMessage(error: unknown): string {
  if (!error) return ''
  const fields = isPodlaunchTrpcError(error) ? error.data?.fieldErrors : undefined
  if (fields) {
    const parts = Object.entries(fields).flatMap(([name, messages]) => (messages ?? []).map((m) => `${name}: ${m}`))
    if (parts.length) return parts.join('; ')
  }
  if (error instanceof Error) {
    // A fetch that never reached the server says "Failed to fetch": say what that means here.
    if (/failed to fetch|networkerror/i.test(error.message)) return 'The server could not be reached.'
    return error.message
  }
  return String(error)
}

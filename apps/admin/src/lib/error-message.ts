import { TRPCClientError } from '@trpc/client'

interface ErrorData {
  code?: string
  appCode?: string
  fieldErrors?: Record<string, string[] | undefined>
}

function dataOf(error: unknown): ErrorData | undefined {
  if (error instanceof TRPCClientError) return (error.data ?? undefined) as ErrorData | undefined
  return undefined
}

/** The server's stable code (appCode first, then the tRPC code); clients branch on it. */
export function errorCode(error: unknown): string | undefined {
  const data = dataOf(error)
  return data?.appCode ?? data?.code
}

export function isUnauthorized(error: unknown): boolean {
  return dataOf(error)?.code === 'UNAUTHORIZED'
}

/** One readable line for a failed call, field errors included. */
export function errorMessage(error: unknown): string {
  if (!error) return ''
  const fields = dataOf(error)?.fieldErrors
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

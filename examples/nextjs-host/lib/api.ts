import { createClient, type PodlaunchClient } from '@podlaunch/client'
import { env } from './env.ts'
import { PODLAUNCH_BASE_PATH } from './podlaunch.ts'

/**
 * The typed client, speaking for the signed-in user: it carries the user's own cookie to the
 * mounted API (no API key), so podlaunch's ownership checks apply to what it returns.
 */
export function clientFor(cookieHeader: string): PodlaunchClient {
  return createClient({
    url: `${env().publicUrl}${PODLAUNCH_BASE_PATH}`,
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie: cookieHeader } }),
  })
}

import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client'
import type { AppRouter } from '@podlaunch/server'

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:3000 */
  url: string
  /** An API key (pl_…). */
  apiKey: string
  /** A fetch implementation; defaults to the global one. */
  fetch?: typeof fetch
}

export type PodlaunchTrpcClient = TRPCClient<AppRouter>

export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '')
}

export function authHeaders(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` }
}

/** The typed tRPC client for a podlaunch server. */
export function createTrpcClient(options: ClientOptions): PodlaunchTrpcClient {
  const base = trimBaseUrl(options.url)
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        headers: () => authHeaders(options.apiKey),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  })
}

import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient, type TRPCLink } from '@trpc/client'
import { EventSource } from 'eventsource'
import type { ClientRouter as AppRouter } from '@podlaunch/server'

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

/**
 * The links every podlaunch client uses (the SDK and the admin app): batched HTTP for queries
 * and mutations, Server-Sent Events for subscriptions. The `eventsource` package is used in
 * browsers too, because the native EventSource cannot send the Authorization header.
 */
export function podlaunchLinks(options: ClientOptions): TRPCLink<AppRouter>[] {
  const url = `${trimBaseUrl(options.url)}/trpc`
  const baseFetch = options.fetch ?? globalThis.fetch
  return [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({
        url,
        EventSource,
        eventSourceOptions: () => ({
          fetch: (input: string | URL | Request, init?: RequestInit) =>
            baseFetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...authHeaders(options.apiKey) } }),
        }),
      }),
      false: httpBatchLink({ url, headers: () => authHeaders(options.apiKey), fetch: baseFetch }),
    }),
  ]
}

/** The typed tRPC client for a podlaunch server. */
export function createTrpcClient(options: ClientOptions): PodlaunchTrpcClient {
  return createTRPCClient<AppRouter>({ links: podlaunchLinks(options) })
}

import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient, type TRPCLink } from '@trpc/client'
import { EventSource } from 'eventsource'
import type { ClientRouter as AppRouter } from '@podlaunch/server'

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:3000 */
  url: string
  /**
   * An API key (pl_…). Leave it out where the host app's own session authenticates instead (its
   * cookie, through createPodlaunch's `authenticate` hook): pass a `fetch` that carries it.
   */
  apiKey?: string | undefined
  /** A fetch implementation; defaults to the global one. */
  fetch?: typeof fetch
}

export type PodlaunchTrpcClient = TRPCClient<AppRouter>

export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '')
}

/**
 * A URL the server handed out (upload, download), sent to the server this client was pointed
 * at: the server builds such URLs from its configured public URL, which may not be how this
 * client reaches it (a proxy, a container network). Its path already carries the mount's
 * basePath, so when the client's URL ends in that same prefix it is not added twice.
 */
export function onClientServer(clientUrl: string, handedOut: string): string {
  const base = new URL(trimBaseUrl(clientUrl))
  const target = new URL(handedOut)
  const prefix = base.pathname.replace(/\/+$/, '')
  const path =
    prefix && (target.pathname === prefix || target.pathname.startsWith(`${prefix}/`)) ? target.pathname : `${prefix}${target.pathname}`
  return `${base.origin}${path}${target.search}`
}

export function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {}
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

import { createTrpcClient, type ClientOptions, type PodlaunchTrpcClient } from './client.js'

export type { ClientOptions, PodlaunchTrpcClient } from './client.js'
export type { AppRouter } from '@podlaunch/server'
export { TRPCClientError } from '@trpc/client'

/** Helpers that take more than one procedure call (uploads, waiting). */
export interface ClientHelpers {
  /** The options this client was made with (the API key stays inside). */
  readonly baseUrl: string
}

/** The typed tRPC client with the SDK's helpers beside the procedures: `client.deployments.get.query(…)`. */
export type PodlaunchClient = PodlaunchTrpcClient & ClientHelpers

export function createClient(options: ClientOptions): PodlaunchClient {
  const trpc = createTrpcClient(options)
  const helpers: ClientHelpers = { baseUrl: options.url.replace(/\/+$/, '') }
  // The tRPC client is a proxy over procedure paths; helpers answer first, by name.
  return new Proxy(trpc, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && Object.hasOwn(helpers, prop)) return helpers[prop as keyof ClientHelpers]
      return Reflect.get(target, prop, receiver)
    },
  }) as PodlaunchClient
}

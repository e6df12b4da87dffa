import { podlaunchLinks, type AppRouter } from '@podlaunch/client'
import { createTRPCClient, type TRPCClient } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

export type ApiClient = TRPCClient<AppRouter>

/** Same origin as the page: the server serves this app and the API together. */
export function createApiClient(apiKey: string, origin: string = window.location.origin): ApiClient {
  return createTRPCClient<AppRouter>({ links: podlaunchLinks({ url: origin, apiKey }) })
}

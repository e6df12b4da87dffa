import { podlaunchLinks, type AppRouter } from '@podlaunch/client'
import { createTRPCClient, type TRPCClient } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'
import { basePath } from './router/navigation.tsx'

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

export type ApiClient = TRPCClient<AppRouter>

/** Same origin as the page, under the same basePath: the server serves this app and the API together. */
export function createApiClient(apiKey: string, base: string = `${window.location.origin}${basePath()}`): ApiClient {
  return createTRPCClient<AppRouter>({ links: podlaunchLinks({ url: base, apiKey }) })
}

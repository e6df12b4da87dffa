import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, Suspense, useState } from 'react'
import { ApiKeyContext } from './api-key-context.ts'
import { ApiKeysPage } from './api-keys/api-keys-page.tsx'
import { DatasetsPage } from './datasets/datasets-page.tsx'
import { DeploymentDetailPage } from './deployments/deployment-detail-page.tsx'
import { DeploymentsPage } from './deployments/deployments-page.tsx'
import { useLiveEvents } from './deployments/use-live-events.ts'
import { isUnauthorized } from './lib/error-message.ts'
import { Header } from './header.tsx'
import { useRoute } from './router/navigation.tsx'
import { createApiClient, TRPCProvider } from './trpc.ts'

// The form carries zod and the script builder: loaded only when someone opens it.
const NewDeploymentPage = lazy(() =>
  import('./deployments/new-deployment-page.tsx').then((module) => ({ default: module.NewDeploymentPage })),
)

const REVOKED_NOTICE = 'Your API key is no longer accepted. Log in again.'

export function AuthedApp({ apiKey, onLogout }: { apiKey: string; onLogout: (reason?: string) => void }) {
  const [queryClient] = useState(() => {
    // A key revoked while signed in (perhaps from this very app) ends the session cleanly.
    const onError = (error: unknown) => {
      if (isUnauthorized(error)) onLogout(REVOKED_NOTICE)
    }
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: { staleTime: 5_000, retry: (count, error) => !isUnauthorized(error) && count < 2, refetchOnWindowFocus: true },
      },
    })
  })
  const [trpcClient] = useState(() => createApiClient(apiKey))
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ApiKeyContext value={apiKey}>
          <Shell onLogout={() => onLogout()} />
        </ApiKeyContext>
      </TRPCProvider>
    </QueryClientProvider>
  )
}

function Shell({ onLogout }: { onLogout: () => void }) {
  const route = useRoute()
  useLiveEvents()
  return (
    <>
      <Header route={route} onLogout={onLogout} />
      <main className="content">
        {route.name === 'deployments' && <DeploymentsPage />}
        {route.name === 'deployment' && <DeploymentDetailPage key={route.id} id={route.id} />}
        {route.name === 'new-deployment' && (
          <Suspense fallback={<p className="muted">Loading the form…</p>}>
            <NewDeploymentPage />
          </Suspense>
        )}
        {route.name === 'datasets' && <DatasetsPage />}
        {route.name === 'api-keys' && <ApiKeysPage />}
        {route.name === 'not-found' && (
          <section>
            <h1>Not found</h1>
            <p>Nothing lives at {route.path}.</p>
          </section>
        )}
      </main>
    </>
  )
}

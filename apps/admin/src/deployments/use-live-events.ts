import { useQueryClient } from '@tanstack/react-query'
import { useSubscription } from '@trpc/tanstack-react-query'
import { useTRPC } from '../trpc.ts'

/**
 * One SSE stream for the whole app: every new event of the caller's deployments refreshes the
 * list and that deployment's detail queries. Logs and metrics do not produce events; the
 * detail page polls them while the deployment is live.
 */
export function useLiveEvents() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  return useSubscription(
    trpc.deployments.onEvent.subscriptionOptions(
      {},
      {
        onData(event) {
          const id = event.data.deploymentId
          void queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() })
          void queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ id }) })
          void queryClient.invalidateQueries({ queryKey: trpc.deployments.events.queryKey({ id }) })
          void queryClient.invalidateQueries({ queryKey: trpc.deployments.metrics.queryKey({ id }) })
          // artifact_stored and the other artifact events change this list.
          void queryClient.invalidateQueries({ queryKey: trpc.deployments.artifacts.queryKey({ id }) })
        },
      },
    ),
  )
}

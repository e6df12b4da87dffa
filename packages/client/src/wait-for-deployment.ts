import { isTerminal } from '@podlaunch/contract'
import type { inferRouterOutputs } from '@trpc/server'
import type { ClientRouter as AppRouter } from '@podlaunch/server'
import type { PodlaunchTrpcClient } from './client.ts'
import { PodlaunchError, rethrowTrpcError, typedTrpcError } from './errors.ts'

type Outputs = inferRouterOutputs<AppRouter>
export type DeploymentEvent = Outputs['deployments']['events'][number] & { deploymentId: string }
export type DeploymentDetail = Outputs['deployments']['get']

export interface WaitForDeploymentOptions {
  /** Give up after this long (default 1 hour). */
  timeoutMs?: number
  /** Every event of the deployment, replayed from the start, then live. */
  onEvent?: (event: DeploymentEvent) => void
  signal?: AbortSignal
}

/** A wait the server refused or cut: its code (NOT_FOUND, UNAUTHORIZED, …) or the SDK's own. */
export class WaitForDeploymentError extends PodlaunchError {
  override readonly name: string = 'WaitForDeploymentError'
}

/** The deployment did not finish in time (code TIMEOUT); it goes on running. */
export class WaitTimeoutError extends WaitForDeploymentError {
  override readonly name = 'WaitTimeoutError'
  constructor(id: string, timeoutMs: number) {
    super('TIMEOUT', `deployment ${id} did not finish within ${timeoutMs} ms`)
  }
}

/**
 * Resolves with the deployment once it reaches succeeded, failed or cancelled. Listens on the
 * live event stream (SSE), which resumes after a dropped connection from the last event seen.
 */
export async function waitForDeployment(
  trpc: PodlaunchTrpcClient,
  id: string,
  options: WaitForDeploymentOptions = {},
): Promise<DeploymentDetail> {
  const timeoutMs = options.timeoutMs ?? 3_600_000
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new WaitTimeoutError(id, timeoutMs)), timeoutMs)
    const subscription = trpc.deployments.onEvent.subscribe(
      { id },
      {
        onData: (tracked) => {
          const event = tracked.data as DeploymentEvent
          options.onEvent?.(event)
          if (event.kind === 'status' && event.status && isTerminal(event.status)) finish()
        },
        onError: (error) => finish(typedTrpcError(WaitForDeploymentError, error)),
      },
    )
    const onAbort = () => finish(options.signal?.reason ?? new Error('aborted'))
    options.signal?.addEventListener('abort', onAbort)
    function finish(error?: unknown) {
      clearTimeout(timer)
      subscription.unsubscribe()
      options.signal?.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve()
    }
  })
  return trpc.deployments.get.query({ id }).catch((error: unknown) => rethrowTrpcError(WaitForDeploymentError, error))
}

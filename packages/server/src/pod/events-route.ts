import { isTerminal, POD_BATCH_LIMITS, PodBatchSchema } from '@podlaunch/contract'
import type { ServerDeps } from '../context.ts'
import { POD_EVENTS_PATH } from '../deployments/pod-env.ts'
import { readJsonAs } from '../http/read-body.ts'
import { jsonResponse } from '../http/exchange.ts'
import type { HttpRoute } from '../http/route.ts'
import { onTerminal, terminateDeploymentPod } from '../lifecycle/teardown.ts'
import { ingestBatch } from './ingest.ts'
import { podDeploymentOf, wrongDeployment } from './pod-auth.ts'

/**
 * POST /v1/pod/events: a pod's status, logs, metrics and heartbeats, authenticated by its
 * own pod token. The deployment comes from the token; a batch naming another one is refused.
 */
export function podEventsRoute(deps: ServerDeps): HttpRoute {
  return {
    methods: ['POST'],
    path: POD_EVENTS_PATH,
    async handle(request) {
      const deploymentId = await podDeploymentOf(deps, request)
      const batch = await readJsonAs(request, POD_BATCH_LIMITS.bytes, PodBatchSchema)
      if (batch.deploymentId && batch.deploymentId !== deploymentId) throw wrongDeployment()
      const result = await ingestBatch(deps, deploymentId, batch)
      const answer = jsonResponse(200, { ok: true, duplicate: result.duplicate })
      if (result.duplicate) return answer
      return { ...answer, done: () => afterIngest(deps, result.deployment, result.terminalNow, result.terminateRequested) }
    },
  }
}

/** Teardown runs after the answer, so a pod's report never waits on the provider. */
function afterIngest(deps: ServerDeps, deployment: Parameters<typeof onTerminal>[1], terminalNow: boolean, terminateRequested: boolean) {
  const work = async () => {
    if (terminalNow) await onTerminal(deps, deployment)
    // A pod that asks to be stopped after its job ended is stopped now.
    if (terminateRequested && isTerminal(deployment.status)) {
      await terminateDeploymentPod(deps, deployment, 'terminate_request')
    }
  }
  work().catch((error: unknown) => deps.logger.error({ err: error, deploymentId: deployment.id }, 'teardown after pod report failed'))
}

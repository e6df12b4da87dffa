import { MAX_TOKEN_TTL_SECONDS } from '@podlaunch/tokens'
import type { Deployment } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import { appendEvent } from '../events/append.ts'

type TeardownDeps = Pick<ServerDeps, 'db' | 'clock' | 'logger' | 'providers' | 'revocations'>

/** Revocation rows live as long as the longest token could; then they are purged. */
function revocationExpiry(deps: TeardownDeps) {
  return new Date(deps.clock().getTime() + MAX_TOKEN_TTL_SECONDS * 1000)
}

/**
 * What happens when a deployment reaches a terminal status: its dataset URL stops working,
 * and a failed or cancelled pod is terminated at once. A succeeded pod stays up for its
 * keep-alive window (the reconciler ends it after that) unless its artifacts are already stored.
 */
export async function onTerminal(deps: TeardownDeps, deployment: Deployment): Promise<void> {
  if (deployment.download_jti) {
    await deps.revocations.revoke(deployment.download_jti, revocationExpiry(deps), `deployment ${deployment.status}`)
  }
  if (deployment.status === 'failed' || deployment.status === 'cancelled') {
    await terminateDeploymentPod(deps, deployment, deployment.failure_reason ?? deployment.status)
  } else if (deployment.status === 'succeeded') {
    // Artifacts already stored: the model is safe, there is nothing to keep the pod up for.
    await terminateIfArtifactsComplete(deps, deployment.id)
  }
}

/** Terminates a succeeded deployment's pod once every artifact it declared is stored. */
export async function terminateIfArtifactsComplete(deps: TeardownDeps, deploymentId: string): Promise<boolean> {
  const deployment = await deps.db.selectFrom('deployments').selectAll().where('id', '=', deploymentId).executeTakeFirst()
  if (!deployment || deployment.status !== 'succeeded' || deployment.pod_terminated_at) return false
  const rows = await deps.db.selectFrom('artifacts').select('status').where('deployment_id', '=', deploymentId).execute()
  if (rows.length === 0 || rows.some((artifact) => artifact.status !== 'complete')) return false
  return terminateDeploymentPod(deps, deployment, 'artifacts_uploaded')
}

/**
 * Terminates the deployment's pod through its provider. Only a confirmed termination counts:
 * then pod_terminated_at is set, an event recorded, and the pod token revoked (not before, so
 * the pod's final logs still arrive). A failure is recorded; the reconciler tries again.
 */
export async function terminateDeploymentPod(deps: TeardownDeps, deployment: Deployment, reason: string): Promise<boolean> {
  if (deployment.pod_terminated_at) return true
  const provider = deps.providers[deployment.provider]
  if (deployment.provider_pod_id) {
    if (!provider) {
      deps.logger.error({ deploymentId: deployment.id }, 'cannot terminate: provider not configured')
      return false
    }
    try {
      await provider.terminatePod(deployment.provider_pod_id)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      deps.logger.warn({ deploymentId: deployment.id, message }, 'pod termination failed; will retry')
      await appendEvent(deps.db, deployment.id, { kind: 'terminate_failed', message, data: { reason } })
      return false
    }
  }
  const now = deps.clock()
  const marked = await deps.db
    .updateTable('deployments')
    .set({ pod_terminated_at: now, updated_at: now })
    .where('id', '=', deployment.id)
    .where('pod_terminated_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  if (marked) {
    await appendEvent(deps.db, deployment.id, {
      kind: 'pod_terminated',
      message: deployment.provider_pod_id ? `pod ${deployment.provider_pod_id} terminated (${reason})` : `no pod to terminate (${reason})`,
      data: { reason, podId: deployment.provider_pod_id },
      at: now,
    })
  }
  if (deployment.pod_jti) await deps.revocations.revoke(deployment.pod_jti, revocationExpiry(deps), 'pod terminated')
  return true
}

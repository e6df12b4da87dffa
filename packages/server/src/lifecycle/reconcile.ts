import type { Deployment } from '@podlaunch/db'
import { isLive, POD_STATUSES, type DeploymentStatus, type FailureReason } from '@podlaunch/contract'
import type { ServerDeps } from '../context.ts'
import { transition } from '../deployments/transition.ts'
import { appendEvent } from '../events/append.ts'
import { deploymentIdFromPodName, podName, POD_NAME_PREFIX, type ProviderPod } from '@podlaunch/providers'
import { onTerminal, terminateDeploymentPod } from './teardown.ts'

export type ReconcileDeps = Pick<ServerDeps, 'db' | 'clock' | 'logger' | 'providers' | 'revocations' | 'config'>

export interface ReconcileAction {
  deploymentId: string | null
  podId: string | null
  action: FailureReason | 'keep_alive_expired' | 'orphan' | 'adopted' | 'creation_lost' | 'terminate_retry'
}

export interface ReconcileReport {
  actions: ReconcileAction[]
  purgedRevocations: number
}

// From its first report on, a live pod reports at least every heartbeat interval.
const REPORTING: readonly DeploymentStatus[] = POD_STATUSES.filter(isLive)
// The script enforces max runtime itself with `timeout`; the server steps in a little later.
const RUNTIME_GRACE_MS = 60_000

/**
 * One reconciler pass. Pure in its inputs: the clock is injected and tests call it directly.
 * It ends everything that may bill past policy: silent, stuck, overdue, over-budget and
 * orphaned pods, and succeeded pods whose keep-alive window has passed.
 */
export async function reconcileOnce(deps: ReconcileDeps): Promise<ReconcileReport> {
  const now = deps.clock()
  const actions: ReconcileAction[] = []
  const rows = await deps.db.selectFrom('deployments').selectAll().where('pod_terminated_at', 'is', null).execute()
  const podsByProvider = await listOurPods(deps)

  for (const row of rows) {
    try {
      const action = isLive(row.status)
        ? await checkLive(deps, row, now, podsByProvider)
        : await checkFinished(deps, row, now, podsByProvider)
      if (action) actions.push(action)
    } catch (error) {
      deps.logger.error({ err: error, deploymentId: row.id }, 'reconciling a deployment failed')
    }
  }
  actions.push(...(await terminateOrphans(deps, podsByProvider)))
  const purgedRevocations = await deps.revocations.purgeExpired(now)
  return { actions, purgedRevocations }
}

async function checkLive(
  deps: ReconcileDeps,
  row: Deployment,
  now: Date,
  podsByProvider: Map<string, ProviderPod[]>,
): Promise<ReconcileAction | undefined> {
  const settings = deps.config.deployments
  const unrecorded = unrecordedPod(deps, row, now, podsByProvider)
  if (unrecorded !== undefined) {
    if (unrecorded === null)
      return fail(deps, row, 'provider_error', 'creation_lost', 'the pod was never recorded and no pod carries its name', now)
    return adopt(deps, row, unrecorded, now)
  }
  const age = now.getTime() - row.created_at.getTime()
  if ((row.status === 'provisioning' || row.status === 'pending') && age > settings.provisioningTimeoutSeconds * 1000) {
    return fail(
      deps,
      row,
      'provisioning_timeout',
      'provisioning_timeout',
      `no start report within ${settings.provisioningTimeoutSeconds} s`,
      now,
    )
  }
  if (REPORTING.includes(row.status)) {
    const lastSign = row.last_heartbeat_at ?? row.started_at ?? row.created_at
    if (now.getTime() - lastSign.getTime() > 3 * settings.heartbeatSeconds * 1000) {
      return fail(deps, row, 'heartbeat_lost', 'heartbeat_lost', `no report for over ${3 * settings.heartbeatSeconds} s`, now)
    }
  }
  if (row.started_at && row.max_runtime_s && now.getTime() - row.started_at.getTime() > row.max_runtime_s * 1000 + RUNTIME_GRACE_MS) {
    return fail(deps, row, 'max_runtime_exceeded', 'max_runtime_exceeded', `ran past its ${row.max_runtime_s} s limit`, now)
  }
  if (overBudget(row, now)) {
    return fail(deps, row, 'budget_exceeded', 'budget_exceeded', `spent at least its ${row.max_cost_usd} USD budget`, now)
  }
  return undefined
}

/**
 * For a row past the grace period with no pod recorded (a crash between the provider's answer
 * and recording it): the pod carrying its name, or null when there is none. Undefined when there
 * is nothing to look for: a pod is recorded, a create call may still be under way (the grace
 * period), or listing failed this pass (not knowing is no reason to fail a deployment whose pod
 * may run; the next pass looks again).
 */
function unrecordedPod(
  deps: ReconcileDeps,
  row: Deployment,
  now: Date,
  podsByProvider: Map<string, ProviderPod[]>,
): ProviderPod | null | undefined {
  const listed = podsByProvider.get(row.provider)
  const age = now.getTime() - row.created_at.getTime()
  if (row.provider_pod_id || age <= deps.config.deployments.pendingGraceSeconds * 1000 || !listed) return undefined
  return listed.find((candidate) => candidate.name === podName(row.id)) ?? null
}

async function adopt(deps: ReconcileDeps, row: Deployment, pod: ProviderPod, now: Date): Promise<ReconcileAction> {
  await deps.db
    .updateTable('deployments')
    .set({ provider_pod_id: pod.podId, gpu_type: pod.gpuType, cost_per_hr: pod.costPerHr ?? null, updated_at: now })
    .where('id', '=', row.id)
    .execute()
  await appendEvent(deps.db, row.id, {
    kind: 'adopted',
    message: `found pod ${pod.podId} by name and adopted it`,
    data: { podId: pod.podId },
    at: now,
  })
  if (row.status === 'pending') await transition(deps.db, row.id, { to: 'provisioning', at: now, onlyFrom: ['pending'] })
  return { deploymentId: row.id, podId: pod.podId, action: 'adopted' }
}

async function checkFinished(
  deps: ReconcileDeps,
  row: Deployment,
  now: Date,
  podsByProvider: Map<string, ProviderPod[]>,
): Promise<ReconcileAction | undefined> {
  // A fast pod may report to the end before anyone recorded it: record it first, so its
  // teardown goes through the pod (and the pod token outlives it) rather than the orphan sweep.
  const unrecorded = unrecordedPod(deps, row, now, podsByProvider)
  if (unrecorded) return adopt(deps, row, unrecorded, now)
  if (row.status === 'succeeded') {
    const keepAliveOver = row.finished_at && now.getTime() - row.finished_at.getTime() >= row.keep_alive_s * 1000
    if (!keepAliveOver && !overBudget(row, now)) return undefined
    const reason = keepAliveOver ? 'keep_alive_expired' : 'budget_exceeded'
    await terminateDeploymentPod(deps, row, reason)
    return { deploymentId: row.id, podId: row.provider_pod_id, action: reason }
  }
  // Failed or cancelled but not confirmed gone: try again.
  await terminateDeploymentPod(deps, row, row.failure_reason ?? row.status)
  return { deploymentId: row.id, podId: row.provider_pod_id, action: 'terminate_retry' }
}

function overBudget(row: Deployment, now: Date): boolean {
  if (row.max_cost_usd === null || row.cost_per_hr === null) return false
  const hours = (now.getTime() - row.created_at.getTime()) / 3_600_000
  return Number(row.cost_per_hr) * hours >= Number(row.max_cost_usd)
}

async function fail(
  deps: ReconcileDeps,
  row: Deployment,
  reason: FailureReason,
  action: ReconcileAction['action'],
  message: string,
  now: Date,
): Promise<ReconcileAction | undefined> {
  // Only from the status we judged: a report that arrived meanwhile wins.
  const moved = await transition(deps.db, row.id, {
    to: 'failed',
    reason,
    message,
    at: now,
    onlyFrom: [row.status],
    data: { source: 'reconciler' },
  })
  if (!moved.ok) return undefined
  await onTerminal(deps, moved.deployment)
  return { deploymentId: row.id, podId: row.provider_pod_id, action }
}

async function listOurPods(deps: ReconcileDeps): Promise<Map<string, ProviderPod[]>> {
  const pods = new Map<string, ProviderPod[]>()
  for (const [name, provider] of Object.entries(deps.providers)) {
    try {
      pods.set(
        name,
        (await provider.listPods(POD_NAME_PREFIX)).filter((pod) => pod.status !== 'terminated'),
      )
    } catch (error) {
      deps.logger.warn({ err: error, provider: name }, 'listing pods failed; orphans are checked next pass')
    }
  }
  return pods
}

/** Pods with our name prefix that no live deployment owns are terminated. */
async function terminateOrphans(deps: ReconcileDeps, podsByProvider: Map<string, ProviderPod[]>): Promise<ReconcileAction[]> {
  const actions: ReconcileAction[] = []
  for (const [name, pods] of podsByProvider) {
    const provider = deps.providers[name as keyof ReconcileDeps['providers']]
    if (!provider) continue
    for (const pod of pods) {
      const deploymentId = deploymentIdFromPodName(pod.name)
      const owner =
        deploymentId && /^[0-9a-f-]{36}$/.test(deploymentId)
          ? await deps.db
              .selectFrom('deployments')
              .select(['id', 'provider_pod_id', 'pod_terminated_at'])
              .where('id', '=', deploymentId)
              .executeTakeFirst()
          : undefined
      const owned = owner && !owner.pod_terminated_at && (owner.provider_pod_id === null || owner.provider_pod_id === pod.podId)
      if (owned) continue
      // Its own deployment's teardown confirmed it gone after the listing (earlier in this pass).
      if (owner?.pod_terminated_at && owner.provider_pod_id === pod.podId) continue
      try {
        await provider.terminatePod(pod.podId)
        if (owner)
          await appendEvent(deps.db, owner.id, {
            kind: 'orphan',
            message: `terminated orphan pod ${pod.podId}`,
            data: { podId: pod.podId },
          })
        deps.logger.warn({ podId: pod.podId, provider: name }, 'terminated an orphan pod')
        actions.push({ deploymentId: owner?.id ?? null, podId: pod.podId, action: 'orphan' })
      } catch (error) {
        deps.logger.warn({ err: error, podId: pod.podId }, 'terminating an orphan failed; next pass retries')
      }
    }
  }
  return actions
}

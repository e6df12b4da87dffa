import type { Kysely } from 'kysely'
import type { Database, Deployment, DeploymentUpdate } from '@podlaunch/db'
import { canTransition, isTerminal, POD_STATUSES, type DeploymentStatus, type FailureReason } from '@podlaunch/contract'
import { appendEvent } from '../events/append.ts'

// The pod's first report marks the start; `failed` is also the reconciler's, so it marks none.
const POD_PHASES: readonly DeploymentStatus[] = POD_STATUSES.filter((status) => status !== 'failed')

export interface TransitionRequest {
  to: DeploymentStatus
  reason?: FailureReason | undefined
  message?: string | undefined
  data?: Record<string, unknown> | undefined
  /** Only move when the deployment is in one of these statuses (e.g. a reconciler's snapshot). */
  onlyFrom?: readonly DeploymentStatus[]
  /** More columns to write with the status (e.g. the pod id), only if the transition happens. */
  set?: DeploymentUpdate
  at: Date
}

export type TransitionResult =
  { ok: true; deployment: Deployment; previous: DeploymentStatus } | { ok: false; current: Deployment | undefined }

/**
 * Every status change goes through here: checks the state machine under a row lock, writes
 * the status and its timestamps, and appends the event, all in one transaction. An illegal
 * transition writes nothing.
 */
export async function transition(db: Kysely<Database>, deploymentId: string, request: TransitionRequest): Promise<TransitionResult> {
  return db.transaction().execute((trx) => transitionWithin(trx, deploymentId, request))
}

/** The same inside a transaction the caller already holds (a pod's batch is one transaction). */
export async function transitionWithin(trx: Kysely<Database>, deploymentId: string, request: TransitionRequest): Promise<TransitionResult> {
  const current = await trx.selectFrom('deployments').selectAll().where('id', '=', deploymentId).forUpdate().executeTakeFirst()
  if (!current || !canTransition(current.status, request.to)) return { ok: false, current }
  if (request.onlyFrom && !request.onlyFrom.includes(current.status)) return { ok: false, current }

  const terminal = isTerminal(request.to)
  const deployment = await trx
    .updateTable('deployments')
    .set({
      ...request.set,
      status: request.to,
      updated_at: request.at,
      ...(!current.started_at && POD_PHASES.includes(request.to) ? { started_at: request.at } : {}),
      ...(terminal ? { finished_at: request.at } : {}),
      ...(request.to === 'failed' || request.to === 'cancelled'
        ? {
            failure_reason: request.reason ?? (request.to === 'cancelled' ? 'cancelled' : null),
            failure_message: request.message?.slice(0, 4000) ?? null,
          }
        : {}),
    })
    .where('id', '=', deploymentId)
    .returningAll()
    .executeTakeFirstOrThrow()
  await appendEvent(trx, deploymentId, {
    kind: 'status',
    status: request.to,
    message: request.message ?? (request.reason ? `${request.to}: ${request.reason}` : request.to),
    data: { from: current.status, ...(request.reason ? { reason: request.reason } : {}), ...request.data },
    at: request.at,
  })
  return { ok: true, deployment, previous: current.status }
}

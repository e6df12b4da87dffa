import type { Kysely } from 'kysely'
import { isTerminal, parseMetricLine, type MetricPoint, type PodBatch } from '@podlaunch/contract'
import type { Database, Deployment } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import { transitionWithin } from '../deployments/transition.ts'
import { appendEvent } from '../events/append.ts'
import { AppError } from '../errors.ts'

export type IngestResult =
  { duplicate: true } | { duplicate: false; deployment: Deployment; terminalNow: boolean; terminateRequested: boolean }

/**
 * Stores one pod batch in one transaction: the seq first (a retried batch stops there), then
 * status changes through the state machine, logs, metrics (deduplicated by name and step),
 * reports. Any refusal rolls the whole batch back: nothing partial is stored.
 */
export async function ingestBatch(deps: Pick<ServerDeps, 'db' | 'clock'>, deploymentId: string, batch: PodBatch): Promise<IngestResult> {
  const metrics = parseMetrics(batch)
  const now = deps.clock()
  return deps.db.transaction().execute(async (trx) => {
    const fresh = await trx
      .insertInto('pod_event_batches')
      .values({ deployment_id: deploymentId, seq: batch.seq, received_at: now })
      .onConflict((conflict) => conflict.columns(['deployment_id', 'seq']).doNothing())
      .returning('seq')
      .executeTakeFirst()
    if (!fresh) return { duplicate: true as const }

    let terminalNow = false
    let terminateRequested = false
    for (const event of batch.events) {
      if (event.type === 'status') {
        const moved = await transitionWithin(trx, deploymentId, {
          to: event.status,
          reason: event.status === 'failed' ? (event.reason ?? 'training_failed') : undefined,
          message: event.message,
          data: {
            source: 'pod',
            podAt: event.at,
            ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
            ...(event.logTail !== undefined ? { logTail: event.logTail } : {}),
            ...event.data,
          },
          at: now,
        })
        if (!moved.ok) {
          throw new AppError('ILLEGAL_TRANSITION', `cannot go from ${moved.current?.status ?? 'unknown'} to ${event.status}`)
        }
        terminalNow ||= isTerminal(event.status)
      } else if (event.type === 'terminate_request') {
        terminateRequested = true
        await appendEvent(trx, deploymentId, {
          kind: 'terminate_request',
          message: event.reason ?? null,
          data: { podAt: event.at },
          at: now,
        })
      } else if (event.type === 'report') {
        await appendEvent(trx, deploymentId, {
          kind: event.kind,
          message: event.message ?? null,
          data: { podAt: event.at, ...event.data },
          at: now,
        })
      }
    }
    await insertLogs(trx, deploymentId, batch)
    await insertMetrics(trx, deploymentId, metrics, now)
    const deployment = await trx
      .updateTable('deployments')
      .set({ last_heartbeat_at: now })
      .where('id', '=', deploymentId)
      .returningAll()
      .executeTakeFirstOrThrow()
    return { duplicate: false as const, deployment, terminalNow, terminateRequested }
  })
}

function parseMetrics(batch: PodBatch): (MetricPoint & { at: string })[] {
  const points: (MetricPoint & { at: string })[] = []
  for (const event of batch.events) {
    if (event.type !== 'metric') continue
    const parsed = parseMetricLine(event.line)
    if (typeof parsed === 'string') throw new AppError('BAD_REQUEST', parsed)
    for (const point of parsed) points.push({ ...point, at: event.at })
  }
  return points
}

async function insertLogs(trx: Kysely<Database>, deploymentId: string, batch: PodBatch) {
  const rows = batch.events.flatMap((event) =>
    event.type === 'log' ? [{ deployment_id: deploymentId, at: event.at, line: event.line }] : [],
  )
  // Chunks keep each statement under Postgres's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 5000)
    await trx
      .insertInto('deployment_logs')
      .values(rows.slice(i, i + 5000))
      .execute()
}

async function insertMetrics(trx: Kysely<Database>, deploymentId: string, points: (MetricPoint & { at: string })[], now: Date) {
  if (!points.length) return
  const rows = points.map((point) => ({
    deployment_id: deploymentId,
    name: point.name,
    step: point.step,
    value: point.value,
    at: point.at || now,
  }))
  for (let i = 0; i < rows.length; i += 5000) {
    await trx
      .insertInto('deployment_metrics')
      .values(rows.slice(i, i + 5000))
      .onConflict((conflict) => conflict.columns(['deployment_id', 'name', 'step']).doNothing())
      .execute()
  }
}

import type { Deployment } from '@podlaunch/db'
import { notFound } from '../errors.ts'
import { createdBefore, decodeCursor, toPage } from '../pagination.ts'
import type { AuthedContext } from '../trpc.ts'
import { toDeploymentView, toEventView } from './view.ts'
import type { ListDeploymentsInput } from './schemas.ts'
import type { z } from 'zod'

type Args<Input> = { ctx: AuthedContext; input: Input }

/** The caller's deployment; NOT_FOUND for anyone else's, on every procedure. */
export async function findOwnDeployment(ctx: AuthedContext, id: string): Promise<Deployment> {
  const row = await ctx.db.selectFrom('deployments').selectAll().where('id', '=', id).where('owner_id', '=', ctx.user.id).executeTakeFirst()
  if (!row) throw notFound('deployment')
  return row
}

export async function listDeployments({ ctx, input }: Args<z.infer<typeof ListDeploymentsInput>>) {
  let query = ctx.db.selectFrom('deployments').selectAll().where('owner_id', '=', ctx.user.id)
  if (input.status?.length) query = query.where('status', 'in', input.status)
  if (input.cursor) query = query.where(createdBefore(decodeCursor(input.cursor)))
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1)
    .execute()
  const now = ctx.clock()
  return toPage(rows, input.limit, (row) => toDeploymentView(row, now))
}

export async function getDeployment({ ctx, input }: Args<{ id: string }>) {
  const row = await findOwnDeployment(ctx, input.id)
  return { ...toDeploymentView(row, ctx.clock()), script: row.script }
}

export async function listEvents({ ctx, input }: Args<{ id: string; after?: string | undefined; limit: number }>) {
  await findOwnDeployment(ctx, input.id)
  let query = ctx.db.selectFrom('deployment_events').selectAll().where('deployment_id', '=', input.id)
  if (input.after) query = query.where('id', '>', input.after)
  const rows = await query.orderBy('id').limit(input.limit).execute()
  return rows.map(toEventView)
}

export async function listLogs({ ctx, input }: Args<{ id: string; after?: string | undefined; limit: number }>) {
  await findOwnDeployment(ctx, input.id)
  let query = ctx.db.selectFrom('deployment_logs').select(['id', 'at', 'line']).where('deployment_id', '=', input.id)
  if (input.after) query = query.where('id', '>', input.after)
  return query.orderBy('id').limit(input.limit).execute()
}

export async function listMetrics({ ctx, input }: Args<{ id: string }>) {
  await findOwnDeployment(ctx, input.id)
  const rows = await ctx.db
    .selectFrom('deployment_metrics')
    .select(['name', 'step', 'value', 'at'])
    .where('deployment_id', '=', input.id)
    .orderBy('name')
    .orderBy('step')
    .execute()
  return rows.map((row) => ({ name: row.name, step: Number(row.step), value: row.value, at: row.at }))
}

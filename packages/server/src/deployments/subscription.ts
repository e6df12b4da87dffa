import { tracked } from '@trpc/server'
import type { EventNotice } from '../events/bus.ts'
import type { AuthedContext } from '../trpc.ts'
import { findOwnDeployment } from './queries.ts'
import { toEventView } from './view.ts'

const PAGE = 200
// A safety net: re-read now and then even without a notice (a listener reconnecting may miss one).
const REPOLL_MS = 15_000

/**
 * deployments.onEvent: replays the events after `lastEventId` (for one deployment without
 * one: all of its events; across all deployments: only new ones), then streams new events
 * as NOTIFY announces them, from this server or another. Ends when the client goes away.
 */
export async function* streamEvents({
  ctx,
  input,
  signal,
}: {
  ctx: AuthedContext
  input: { id?: string | undefined; lastEventId?: string | null | undefined }
  signal: AbortSignal | undefined
}) {
  if (input.id) await findOwnDeployment(ctx, input.id)
  // The stream ends when its client goes away or the server shuts down, whichever is first.
  signal = ctx.shutdown ? (signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown) : signal
  let cursor = input.lastEventId ?? (input.id ? '0' : await latestEventId(ctx))

  let wake: (() => void) | undefined
  let dirty = true
  const unsubscribe = ctx.events.subscribe((notice: EventNotice) => {
    if (input.id && notice.deploymentId !== input.id) return
    dirty = true
    wake?.()
  })
  const onAbort = () => wake?.()
  signal?.addEventListener('abort', onAbort)
  try {
    while (!signal?.aborted) {
      if (!dirty) {
        let timer: NodeJS.Timeout | undefined
        await new Promise<void>((resolve) => {
          wake = resolve
          timer = setTimeout(resolve, REPOLL_MS)
        })
        clearTimeout(timer)
        wake = undefined
        dirty = true
        continue
      }
      dirty = false
      let query = ctx.db
        .selectFrom('deployment_events')
        .innerJoin('deployments', 'deployments.id', 'deployment_events.deployment_id')
        .selectAll('deployment_events')
        .where('deployments.owner_id', '=', ctx.user.id)
        .where('deployment_events.id', '>', cursor)
      if (input.id) query = query.where('deployment_events.deployment_id', '=', input.id)
      const rows = await query.orderBy('deployment_events.id').limit(PAGE).execute()
      for (const row of rows) {
        cursor = row.id
        yield tracked(row.id, { deploymentId: row.deployment_id, ...toEventView(row) })
      }
      if (rows.length === PAGE) dirty = true
    }
  } finally {
    unsubscribe()
    signal?.removeEventListener('abort', onAbort)
  }
}

async function latestEventId(ctx: AuthedContext): Promise<string> {
  const row = await ctx.db
    .selectFrom('deployment_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  return row?.id ?? '0'
}

import { sql, type Kysely } from 'kysely'
import type { Database } from '@podlaunch/db'
import type { DeploymentEventKind, DeploymentStatus } from '@podlaunch/contract'

export const EVENTS_CHANNEL = 'podlaunch_events'

export interface NewEvent {
  kind: DeploymentEventKind
  status?: DeploymentStatus | null
  message?: string | null
  data?: Record<string, unknown> | null
  at?: Date
}

/**
 * Appends a deployment event and announces it with NOTIFY in the same transaction, so every
 * server sharing the database hears of it exactly when it becomes visible.
 */
export async function appendEvent(db: Kysely<Database>, deploymentId: string, event: NewEvent): Promise<string> {
  const row = await db
    .insertInto('deployment_events')
    .values({
      deployment_id: deploymentId,
      kind: event.kind,
      status: event.status ?? null,
      message: event.message ?? null,
      data: event.data ? JSON.stringify(event.data) : null,
      ...(event.at ? { at: event.at } : {}),
    })
    // One round trip: the row and its announcement (delivered at commit).
    .returning(['id', sql<string>`pg_notify(${EVENTS_CHANNEL}, deployment_id::text || ':' || id::text)::text`.as('notified')])
    .executeTakeFirstOrThrow()
  return row.id
}

import pg from 'pg'
import type { Kysely } from 'kysely'
import { databaseBackend, type Database } from '@podlaunch/db'
import type { Logger } from '../logger.ts'
import { EVENTS_CHANNEL } from './append.ts'

export interface EventNotice {
  deploymentId: string
  eventId: string
}

/** Hears every new deployment event, from this server or any other on the same database. */
export interface EventBus {
  subscribe(listener: (notice: EventNotice) => void): () => void
  close(): Promise<void>
}

const RECONNECT_MS = 1_000

export async function createEventBus(db: Kysely<Database>, logger: Logger): Promise<EventBus> {
  const listeners = new Set<(notice: EventNotice) => void>()
  const dispatch = (payload: string | undefined) => {
    const [deploymentId, eventId] = (payload ?? '').split(':')
    if (!deploymentId || !eventId) return
    for (const listener of listeners) listener({ deploymentId, eventId })
  }
  const subscribe = (listener: (notice: EventNotice) => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  const backend = databaseBackend(db)
  if (backend.kind === 'pglite') {
    const unlisten = await backend.pglite.listen(EVENTS_CHANNEL, dispatch)
    // The database may already be closed at shutdown; there is nothing left to unlisten then.
    return { subscribe, close: () => unlisten().catch(() => {}) }
  }

  // LISTEN needs a connection of its own for as long as we listen; reconnect if it drops.
  let closed = false
  let client: pg.Client | undefined
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: backend.url })
    next.on('notification', (message) => dispatch(message.payload))
    next.on('error', (error) => {
      logger.warn({ err: error }, 'event listener connection lost; reconnecting')
      next.end().catch(() => {})
      if (!closed) setTimeout(() => void connect().catch(() => {}), RECONNECT_MS).unref()
    })
    await next.connect()
    await next.query(`LISTEN ${EVENTS_CHANNEL}`)
    client = next
  }
  await connect()
  return {
    subscribe,
    close: async () => {
      closed = true
      await client?.end().catch(() => {})
    },
  }
}

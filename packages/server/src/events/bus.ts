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

  // LISTEN needs a connection of its own for as long as we listen; reconnect if it drops, and
  // keep trying while the database refuses us (one failed attempt must not end listening).
  let closed = false
  let client: pg.Client | undefined
  let timer: NodeJS.Timeout | undefined
  const retry = () => {
    if (closed || timer) return
    timer = setTimeout(() => {
      timer = undefined
      connect().catch((error: unknown) => {
        logger.warn({ err: error }, 'event listener could not reconnect; trying again')
        retry()
      })
    }, RECONNECT_MS)
    timer.unref()
  }
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: backend.url })
    let lost = false
    const onLost = (error?: Error) => {
      if (lost) return
      lost = true
      if (client === next) client = undefined
      next.end().catch(() => {})
      if (closed) return
      logger.warn({ err: error }, 'event listener connection lost; reconnecting')
      retry()
    }
    next.on('notification', (message) => dispatch(message.payload))
    next.on('error', onLost)
    next.on('end', () => onLost())
    try {
      await next.connect()
      await next.query(`LISTEN ${EVENTS_CHANNEL}`)
    } catch (error) {
      lost = true
      next.end().catch(() => {})
      throw error
    }
    client = next
  }
  await connect()
  return {
    subscribe,
    close: async () => {
      closed = true
      clearTimeout(timer)
      await client?.end().catch(() => {})
    },
  }
}

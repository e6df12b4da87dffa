import pg from 'pg'
import type { Kysely } from 'kysely'
import { databaseBackend, type Database } from '@podlaunch/db'

// Same key in every server instance: only one holds it at a time.
const RECONCILER_LOCK_KEY = 727_450_002

export interface LeaderLock {
  /** True while this process holds the lock; tries to take it when free. */
  acquire(): Promise<boolean>
  release(): Promise<void>
}

/**
 * A session-level advisory lock on a connection of its own: held for as long as that
 * connection lives, so a crashed leader frees it at once. Embedded PGlite is one process
 * by construction, so there it is always the leader.
 */
export function createLeaderLock(db: Kysely<Database>): LeaderLock {
  const backend = databaseBackend(db)
  if (backend.kind === 'pglite') return { acquire: async () => true, release: async () => {} }

  let client: pg.Client | undefined
  let held = false
  const drop = () => {
    held = false
    const old = client
    client = undefined
    old?.end().catch(() => {})
  }
  return {
    async acquire() {
      if (held && client) return true
      try {
        if (!client) {
          const next = new pg.Client({ connectionString: backend.url })
          next.on('error', drop)
          await next.connect()
          client = next
        }
        const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RECONCILER_LOCK_KEY])
        held = result.rows[0]?.locked === true
      } catch {
        drop()
      }
      return held
    },
    async release() {
      if (held) await client?.query('SELECT pg_advisory_unlock($1)', [RECONCILER_LOCK_KEY]).catch(() => {})
      drop()
    },
  }
}

import { mkdirSync } from 'node:fs'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { EmbeddedDialect } from './pglite-dialect.ts'
import type { Database } from './schema.ts'

export interface CreateDatabaseOptions {
  /** A postgres:// URL. When given, a pg Pool is used. */
  url?: string | undefined
  /** Where embedded PGlite keeps its files. Without url and dataDir: in memory. */
  dataDir?: string | undefined
  /** Pool size for pg (default 10). */
  maxConnections?: number | undefined
}

export type DatabaseBackend = { kind: 'postgres'; url: string; pool: pg.Pool } | { kind: 'pglite'; pglite: PGlite }

const backends = new WeakMap<Kysely<Database>, DatabaseBackend>()

// bigint (int8) stays a string by default; numeric too. Counts and sizes are converted where read.
export function createDatabase(options: CreateDatabaseOptions = {}): Kysely<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 })
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {})
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    backends.set(db, { kind: 'postgres', url: options.url, pool })
    return db
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const dialect = new EmbeddedDialect(options.dataDir)
  const db = new Kysely<Database>({ dialect })
  backends.set(db, { kind: 'pglite', pglite: dialect.pglite })
  return db
}

/** Which engine a database from createDatabase runs on (for LISTEN/NOTIFY and diagnostics). */
export function databaseBackend(db: Kysely<Database>): DatabaseBackend {
  const backend = backends.get(db)
  if (!backend) throw new Error('database was not made by createDatabase')
  return backend
}

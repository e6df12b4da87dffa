// Test support shared by every package: one migrated database per caller, on real Postgres
// when DATABASE_URL is set (a fresh database each time) and on in-memory PGlite otherwise.
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { createDatabase } from './database.ts'
import { migrate } from './migrate.ts'
import type { Database } from './schema.ts'

export interface TestDatabase {
  db: Kysely<Database>
  /** The fresh database's URL on Postgres; undefined on PGlite. */
  url: string | undefined
  /** Makes another handle on the same database (a second "server"); Postgres only. */
  connect(): Kysely<Database>
  close(): Promise<void>
}

export const usingPostgres = Boolean(process.env.DATABASE_URL)

export async function createTestDatabase(options: { migrate?: boolean; maxConnections?: number } = {}): Promise<TestDatabase> {
  const baseUrl = process.env.DATABASE_URL
  const extra: Kysely<Database>[] = []
  if (!baseUrl) {
    const db = createDatabase()
    if (options.migrate !== false) await migrate(db)
    return {
      db,
      url: undefined,
      connect: () => {
        throw new Error('a second connection to in-memory PGlite is not possible; use DATABASE_URL')
      },
      close: () => db.destroy(),
    }
  }
  const name = `podlaunch_test_${randomBytes(6).toString('hex')}`
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`)
  const url = withDatabase(baseUrl, name)
  const db = createDatabase({ url, maxConnections: options.maxConnections ?? 5 })
  if (options.migrate !== false) await migrate(db)
  return {
    db,
    url,
    connect: () => {
      const other = createDatabase({ url, maxConnections: 5 })
      extra.push(other)
      return other
    },
    close: async () => {
      await Promise.all([db, ...extra].map((handle) => handle.destroy()))
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

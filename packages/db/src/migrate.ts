import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { EMBEDDED_MIGRATIONS } from './migrations-sql.ts'
import { MULTI_STATEMENT_MARKER } from './pglite-dialect.ts'
import type { Database } from './schema.ts'

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 727_450_001

export type MigrationErrorCode = 'MIGRATION_CHANGED' | 'MIGRATION_MISSING' | 'MIGRATION_FAILED'

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

export interface MigrationFile {
  name: string
  checksum: string
  sql: string
}

export interface MigrateResult {
  applied: string[]
  alreadyApplied: string[]
}

/** The migrations in `dir`, or those shipped with this package (the repository's migrations/*.sql). */
export async function readMigrations(dir?: string): Promise<MigrationFile[]> {
  if (dir === undefined) return EMBEDDED_MIGRATIONS.map(({ name, sql }) => migrationFile(name, sql))
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort()
  return Promise.all(names.map(async (name) => migrationFile(name, await readFile(join(dir, name), 'utf8'))))
}

function migrationFile(name: string, text: string): MigrationFile {
  return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') }
}

/**
 * Applies pending migrations in file-name order, each in its own transaction that first
 * takes a transaction-scoped advisory lock, so concurrent migrators apply each file once.
 * Refuses to run when an applied file changed or disappeared.
 */
export async function migrate(db: Kysely<Database>, options: { dir?: string } = {}): Promise<MigrateResult> {
  const files = await readMigrations(options.dir)
  await db.transaction().execute(async (trx) => {
    await lock(trx)
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(trx)
  })
  const applied = await appliedChecksums(db)
  verifyApplied(files, applied)

  const result: MigrateResult = { applied: [], alreadyApplied: [] }
  for (const file of files) {
    if (applied.has(file.name)) {
      result.alreadyApplied.push(file.name)
      continue
    }
    const didApply = await db.transaction().execute(async (trx) => {
      await lock(trx)
      // Another process may have applied it while we waited for the lock.
      const row = await trx.selectFrom('schema_migrations').select('checksum').where('name', '=', file.name).executeTakeFirst()
      if (row) return false
      try {
        await sql.raw(MULTI_STATEMENT_MARKER + file.sql).execute(trx)
      } catch (error) {
        throw new MigrationError('MIGRATION_FAILED', `migration ${file.name} failed: ${(error as Error).message}`, { cause: error })
      }
      await trx.insertInto('schema_migrations').values({ name: file.name, checksum: file.checksum }).execute()
      return true
    })
    ;(didApply ? result.applied : result.alreadyApplied).push(file.name)
  }
  return result
}

async function lock(trx: Kysely<Database>) {
  await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx)
}

async function appliedChecksums(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('schema_migrations').select(['name', 'checksum']).execute()
  return new Map(rows.map((row) => [row.name, row.checksum]))
}

function verifyApplied(files: MigrationFile[], applied: Map<string, string>) {
  const byName = new Map(files.map((file) => [file.name, file]))
  for (const [name, checksum] of applied) {
    const file = byName.get(name)
    if (!file) {
      throw new MigrationError('MIGRATION_MISSING', `migration ${name} was applied to this database but its file is missing; restore it`)
    }
    if (file.checksum !== checksum) {
      throw new MigrationError(
        'MIGRATION_CHANGED',
        `migration ${name} changed after it was applied (checksum ${checksum.slice(0, 12)} in the database, ${file.checksum.slice(0, 12)} on disk); landed migrations are frozen, add a new file instead`,
      )
    }
  }
}

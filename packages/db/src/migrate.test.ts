import { readFileSync } from 'node:fs'
import { cp, mkdtemp, writeFile, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM helper without types
import { renderMigrationsModule } from '../scripts/gen-migrations.mjs'
import { migrate, MigrationError, readMigrations } from './migrate.ts'
import { MIGRATIONS_DIR } from './migrations-dir.ts'
import { createTestDatabase, usingPostgres, type TestDatabase } from './testing.ts'

const engine = usingPostgres ? 'Postgres' : 'PGlite'
let handles: TestDatabase[] = []
let dirs: string[] = []

async function fresh() {
  const handle = await createTestDatabase({ migrate: false })
  handles.push(handle)
  return handle
}

async function migrationsCopy() {
  const dir = await mkdtemp(join(tmpdir(), 'podlaunch-migrations-'))
  dirs.push(dir)
  await cp(MIGRATIONS_DIR, dir, { recursive: true })
  return dir
}

afterEach(async () => {
  await Promise.all(handles.map((handle) => handle.close()))
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  handles = []
  dirs = []
})

describe('the migrations shipped in the package', () => {
  it('are the .sql files, byte for byte (src/migrations-sql.ts is not stale)', async () => {
    expect(readFileSync(fileURLToPath(new URL('./migrations-sql.ts', import.meta.url)), 'utf8')).toBe(
      renderMigrationsModule(MIGRATIONS_DIR),
    )
    expect(await readMigrations()).toEqual(await readMigrations(MIGRATIONS_DIR))
  })
})

describe(`migrate on ${engine}`, () => {
  it('applies every migration from empty and records checksums', async () => {
    const { db } = await fresh()
    const files = await readMigrations()
    const result = await migrate(db)
    expect(result.applied).toEqual(files.map((file) => file.name))
    const rows = await db.selectFrom('schema_migrations').select(['name', 'checksum']).orderBy('name').execute()
    expect(rows).toEqual(files.map(({ name, checksum }) => ({ name, checksum })))
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(db)
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'users',
        'api_keys',
        'datasets',
        'deployments',
        'deployment_events',
        'deployment_logs',
        'deployment_metrics',
        'token_revocations',
        'download_log',
      ]),
    )
  })

  it('is a no-op the second time', async () => {
    const { db } = await fresh()
    await migrate(db)
    const again = await migrate(db)
    expect(again.applied).toEqual([])
    expect(again.alreadyApplied.length).toBeGreaterThan(0)
  })

  it('refuses to start when an applied migration changed', async () => {
    const { db } = await fresh()
    const dir = await migrationsCopy()
    await migrate(db, { dir })
    await writeFile(join(dir, '0001_init.sql'), '-- edited\nSELECT 1;\n')
    const error = await migrate(db, { dir }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MigrationError)
    expect((error as MigrationError).code).toBe('MIGRATION_CHANGED')
    expect((error as MigrationError).message).toContain('0001_init.sql')
  })

  it('refuses to start when an applied migration file is missing', async () => {
    const { db } = await fresh()
    const dir = await migrationsCopy()
    await writeFile(join(dir, '0002_extra.sql'), 'CREATE TABLE extra (id int);')
    await migrate(db, { dir })
    await rm(join(dir, '0002_extra.sql'))
    await expect(migrate(db, { dir })).rejects.toMatchObject({ code: 'MIGRATION_MISSING' })
  })

  it('applies a file that sorts before applied ones when it lands later (branches merged in either order)', async () => {
    const { db } = await fresh()
    const dir = await migrationsCopy()
    const before = await migrate(db, { dir })
    expect(before.applied.at(-1)).toBe((await readMigrations(dir)).at(-1)!.name)
    // Another branch's migration, numbered below the newest one already applied here.
    await writeFile(join(dir, '0003_other_branch.sql'), 'ALTER TABLE users ADD COLUMN other_branch boolean NOT NULL DEFAULT false;')
    const after = await migrate(db, { dir })
    expect(after.applied).toEqual(['0003_other_branch.sql'])
    const columns = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'users'`.execute(db)
    expect(columns.rows.map((row) => row.column_name)).toEqual(expect.arrayContaining(['external_id', 'other_branch']))
    expect((await migrate(db, { dir })).applied).toEqual([])
  })

  it('rolls back a failing migration and records nothing for it', async () => {
    const { db } = await fresh()
    const dir = await migrationsCopy()
    await writeFile(join(dir, '9999_broken.sql'), 'CREATE TABLE half (id int);\nSELECT no_such_function();')
    await expect(migrate(db, { dir })).rejects.toMatchObject({ code: 'MIGRATION_FAILED' })
    const names = await db.selectFrom('schema_migrations').select('name').orderBy('name').execute()
    expect(names.map((row) => row.name)).toEqual((await readMigrations()).map((file) => file.name))
    const half = await sql`SELECT to_regclass('public.half') AS t`.execute(db)
    expect(half.rows[0]).toEqual({ t: null })
  })

  it('applies each file once when two migrators race', async () => {
    const first = await fresh()
    // On Postgres the second migrator is a separate pool, as another process would be.
    const second = usingPostgres ? first.connect() : first.db
    const dir = await migrationsCopy()
    await writeFile(
      join(dir, '9999_counter.sql'),
      'CREATE TABLE IF NOT EXISTS applied_count (n int);\nINSERT INTO applied_count VALUES (1);',
    )
    const [a, b] = await Promise.all([migrate(first.db, { dir }), migrate(second, { dir })])
    expect([...a.applied, ...b.applied].sort()).toEqual([...(await readMigrations()).map((file) => file.name), '9999_counter.sql'])
    const count = await sql<{ n: string }>`SELECT count(*)::text AS n FROM applied_count`.execute(first.db)
    expect(count.rows[0]?.n).toBe('1')
  })
})

describe.runIf(usingPostgres)('migrations as plain SQL', () => {
  it('psql applies every file with ON_ERROR_STOP', async () => {
    const { execFileSync } = await import('node:child_process')
    const handle = await fresh()
    for (const file of await readMigrations()) {
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', handle.url!, '-c', file.sql], { stdio: 'pipe' })
    }
    const users = await sql<{ t: string }>`SELECT to_regclass('public.deployments')::text AS t`.execute(handle.db)
    expect(users.rows[0]?.t).toBe('deployments')
  })
})

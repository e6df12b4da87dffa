import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createDatabase, databaseBackend } from './database.ts'
import { migrate } from './migrate.ts'

describe('createDatabase', () => {
  it('persists embedded PGlite in dataDir across reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podlaunch-db-'))
    try {
      const first = createDatabase({ dataDir: join(dir, 'pglite') })
      expect(databaseBackend(first).kind).toBe('pglite')
      await migrate(first)
      await first.insertInto('users').values({ name: 'persisted' }).execute()
      await first.destroy()

      const second = createDatabase({ dataDir: join(dir, 'pglite') })
      const users = await second.selectFrom('users').select('name').execute()
      expect(users).toEqual([{ name: 'persisted' }])
      expect((await migrate(second)).applied).toEqual([])
      await second.destroy()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('serializes concurrent transactions on the single PGlite connection', async () => {
    const db = createDatabase()
    await sql`CREATE TABLE counter (n int)`.execute(db)
    await sql`INSERT INTO counter VALUES (0)`.execute(db)
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await sql<{ n: number }>`SELECT n FROM counter`.execute(trx)
          await new Promise((resolve) => setTimeout(resolve, 1))
          await sql`UPDATE counter SET n = ${(row.rows[0]?.n ?? 0) + 1}`.execute(trx)
        }),
      ),
    )
    const final = await sql<{ n: number }>`SELECT n FROM counter`.execute(db)
    expect(final.rows[0]?.n).toBe(20)
    await db.destroy()
  })

  it("never runs a plain query inside another caller's open transaction", async () => {
    const db = createDatabase()
    await sql`CREATE TABLE marks (n int)`.execute(db)
    let inside!: () => void
    const entered = new Promise<void>((resolve) => (inside = resolve))
    const rolledBack = db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO marks VALUES (1)`.execute(trx)
        inside()
        await new Promise((resolve) => setTimeout(resolve, 50))
        throw new Error('roll back')
      })
      .catch((error: unknown) => error)
    await entered
    // Issued while the transaction is open: it must wait, and so see neither row nor rollback.
    await sql`INSERT INTO marks VALUES (2)`.execute(db)
    expect(await rolledBack).toBeInstanceOf(Error)
    const rows = await sql<{ n: number }>`SELECT n FROM marks ORDER BY n`.execute(db)
    expect(rows.rows).toEqual([{ n: 2 }])
    await db.destroy()
  })

  it.runIf(Boolean(process.env.DATABASE_URL))('uses a pg Pool for a URL', async () => {
    const db = createDatabase({ url: process.env.DATABASE_URL })
    expect(databaseBackend(db).kind).toBe('postgres')
    const result = await sql<{ one: number }>`SELECT 1 AS one`.execute(db)
    expect(result.rows[0]?.one).toBe(1)
    await db.destroy()
  })
})

describe('column types', () => {
  it('reads bigint and numeric as strings on every engine, as pg does', async () => {
    const db = createDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {})
    const row = await sql<{ big: unknown; num: unknown }>`SELECT 9007199254740993::bigint AS big, 1.25::numeric AS num`.execute(db)
    expect(row.rows[0]).toEqual({ big: '9007199254740993', num: '1.25' })
    await db.destroy()
  })
})

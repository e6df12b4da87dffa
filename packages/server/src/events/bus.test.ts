// The event bus: NOTIFY in the appending transaction, heard on commit only, by every listener;
// on Postgres the LISTEN connection comes back after it was cut, even when the first attempts fail.
import { ReportKindSchema } from '@podlaunch/contract'
import { sql } from 'kysely'
import { createDatabase } from '@podlaunch/db'
import { createTestDatabase, usingPostgres, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../deployments/test-support.ts'
import { seedDeployment } from '../lifecycle/test-support.ts'
import { silentLogger } from '../logger.ts'
import { startTestServer, type TestServer, type TestUser } from '../testing.ts'
import { appendEvent } from './append.ts'
import { createEventBus, type EventNotice } from './bus.ts'

// Any kind will do; a pod-style one, since the server's own kinds mean something.
const kind = ReportKindSchema.parse('test')
let database: TestDatabase
let server: TestServer
let alice: TestUser

beforeAll(async () => {
  database = await createTestDatabase()
  server = await startTestServer(database.db)
  alice = await server.user('alice')
}, 60_000)

afterAll(async () => {
  await server.close()
  await database.close()
})

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the event bus', () => {
  it('announces an event when its transaction commits, not before, and never a rolled-back one', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const heard: EventNotice[] = []
    const unsubscribe = server.deps.events.subscribe((notice) => heard.push(notice))
    try {
      let inside = ''
      await database.db.transaction().execute(async (trx) => {
        inside = await appendEvent(trx, dep.id, { kind, message: 'committed' })
        await pause(150)
        expect(heard).toEqual([])
      })
      await waitFor(async () => (heard.length ? true : undefined), 5_000, 'the notice')
      // (PGlite hands bigserial ids back as numbers; the notice always carries text)
      expect(heard).toEqual([{ deploymentId: dep.id, eventId: String(inside) }])

      await database.db
        .transaction()
        .execute(async (trx) => {
          await appendEvent(trx, dep.id, { kind, message: 'rolled back' })
          throw new Error('roll back')
        })
        .catch(() => {})
      await pause(200)
      expect(heard).toHaveLength(1)
    } finally {
      unsubscribe()
    }
  })

  it('stops announcing to an unsubscribed listener and after close', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const bus = await createEventBus(database.db, silentLogger())
    const heard: EventNotice[] = []
    const unsubscribe = bus.subscribe((notice) => heard.push(notice))
    await appendEvent(database.db, dep.id, { kind })
    await waitFor(async () => (heard.length === 1 ? true : undefined), 5_000, 'the first notice')
    unsubscribe()
    await appendEvent(database.db, dep.id, { kind })
    await pause(200)
    expect(heard).toHaveLength(1)
    await bus.close()
  })

  it.runIf(usingPostgres)(
    'listens again after its connection was cut, even while the database refused connections for a while',
    async () => {
      const dep = await seedDeployment(server.deps, alice.id)
      const bus = await createEventBus(database.db, silentLogger())
      const heard: EventNotice[] = []
      bus.subscribe((notice) => heard.push(notice))
      const name = new URL(database.url!).pathname.slice(1)
      // ALTER DATABASE cannot target the database it runs in: use the server's base database.
      const admin = createDatabase({ url: process.env.DATABASE_URL!, maxConnections: 1 })
      try {
        // Refuse new connections for longer than the first reconnect attempt, then cut LISTEN.
        await sql.raw(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`).execute(admin)
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND datname = ${name}`.execute(admin)
        await pause(2_500)
        await sql.raw(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).execute(admin)
        await waitFor(
          async () => {
            await appendEvent(database.db, dep.id, { kind })
            return heard.length > 0 ? true : undefined
          },
          10_000,
          'a notice after the listener came back',
        )
      } finally {
        await sql
          .raw(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
          .execute(admin)
          .catch(() => {})
        await bus.close()
        await admin.destroy()
      }
    },
    30_000,
  )
})

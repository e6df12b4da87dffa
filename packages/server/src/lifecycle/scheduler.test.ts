// The reconciler runs on exactly one server: a Postgres session advisory lock picks the leader,
// and when the leader stops another server takes over. Embedded PGlite is one process: it leads.
import { createTestDatabase, usingPostgres, type TestDatabase } from '@podlaunch/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../testing.ts'
import { startReconciler } from './scheduler.ts'

let database: TestDatabase
let first: TestServer

beforeAll(async () => {
  database = await createTestDatabase()
  first = await startTestServer(database.db)
}, 60_000)

afterAll(async () => {
  await first.close()
  await database.close()
})

describe('startReconciler', () => {
  it('runs passes on a single server and stops cleanly', async () => {
    const passes: number[] = []
    const reconciler = startReconciler(first.deps, { intervalMs: 60_000, onPass: (report) => passes.push(report.actions.length) })
    const report = await reconciler.tick()
    expect(report).toBeDefined()
    expect(reconciler.isLeader()).toBe(true)
    expect(passes).toHaveLength(1)
    await reconciler.stop()
    expect(await reconciler.tick()).toBeUndefined()
  })

  describe.runIf(usingPostgres)('two servers on one Postgres', () => {
    let second: TestServer

    beforeAll(async () => {
      second = await startTestServer(database.connect())
    })

    afterAll(async () => {
      await second.close()
    })

    it('lets exactly one lead; the other takes over when the leader stops', async () => {
      const a = startReconciler(first.deps, { intervalMs: 60_000 })
      const b = startReconciler(second.deps, { intervalMs: 60_000 })
      try {
        const [ranA, ranB] = await Promise.all([a.tick(), b.tick()])
        expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1)
        expect([ranA, ranB].filter((report) => report !== undefined)).toHaveLength(1)
        // Ticking again changes nothing: the lock stays where it is.
        await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()])
        expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1)

        const [leader, follower] = a.isLeader() ? [a, b] : [b, a]
        await leader.stop()
        expect(await follower.tick()).toBeDefined()
        expect(follower.isLeader()).toBe(true)
      } finally {
        await a.stop()
        await b.stop()
      }
    })

    it('frees the lock when the leader connection dies (a crashed server)', async () => {
      const a = startReconciler(first.deps, { intervalMs: 60_000 })
      const b = startReconciler(second.deps, { intervalMs: 60_000 })
      try {
        await a.tick()
        expect(a.isLeader()).toBe(true)
        await b.tick()
        expect(b.isLeader()).toBe(false)
        // Kill the leader's session from outside, as a crash would end it.
        // pg_locks names the lock's holder; terminating that session is what a crash does.
        await sql`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted`.execute(database.db)
        let took = false
        for (let i = 0; i < 20 && !took; i += 1) {
          await b.tick()
          took = b.isLeader()
          if (!took) await new Promise((resolve) => setTimeout(resolve, 100))
        }
        expect(took).toBe(true)
      } finally {
        await a.stop()
        await b.stop()
      }
    })
  })
})

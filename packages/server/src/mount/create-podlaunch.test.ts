// createPodlaunch from plain settings only, the way a host app calls it: start, serve, drain.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, usingPostgres, type TestDatabase } from '@podlaunch/db/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { seedDeployment } from '../lifecycle/test-support.ts'
import { createPodlaunch, type Podlaunch } from './create-podlaunch.ts'

let cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

async function settings() {
  const dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-create-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  let database: TestDatabase | undefined
  if (usingPostgres) {
    database = await createTestDatabase({ migrate: false })
    cleanups.push(() => database!.close())
  }
  return { dataDir, databaseUrl: database?.url }
}

function made(podlaunch: Podlaunch) {
  cleanups.push(() => podlaunch.close())
  return podlaunch
}

const origin = 'http://host.test'

describe('createPodlaunch from plain settings', () => {
  it('starts on the first request, migrates, generates an admin key once and serves it', async () => {
    const podlaunch = made(
      createPodlaunch({ ...(await settings()), basePath: '/api/podlaunch/', publicUrl: origin, logger: silentLogger() }),
    )
    expect(podlaunch.config.basePath).toBe('/api/podlaunch')
    const health = await podlaunch.fetch(new Request(`${origin}/api/podlaunch/healthz`))
    expect(health.status).toBe(200)
    const started = await podlaunch.start()
    expect(started.migrated.length).toBeGreaterThan(0)
    const key = started.generatedAdminKey!.key
    expect((await readFile(started.generatedAdminKey!.file, 'utf8')).trim()).toBe(key)
    expect((await stat(started.generatedAdminKey!.file)).mode & 0o777).toBe(0o600)
    const me = await podlaunch.fetch(new Request(`${origin}/api/podlaunch/trpc/me`, { headers: { authorization: `Bearer ${key}` } }))
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toMatchObject({ name: 'admin', isAdmin: true })
    expect(podlaunch.deps()?.providers.local).toBeDefined()
  })

  it('ends open streams on close, then answers 503 and closes what it opened', async () => {
    const podlaunch = createPodlaunch({ ...(await settings()), publicUrl: origin, logger: silentLogger(), drainTimeoutMs: 5_000 })
    cleanups.push(() => podlaunch.close())
    const { generatedAdminKey } = await podlaunch.start()
    const deps = podlaunch.deps()!
    const admin = await deps.db.selectFrom('users').select('id').where('is_admin', '=', true).executeTakeFirstOrThrow()
    const deployment = await seedDeployment(deps, admin.id)
    const sse = await podlaunch.fetch(
      new Request(`${origin}/trpc/deployments.onEvent?input=${encodeURIComponent(JSON.stringify({ id: deployment.id }))}`, {
        headers: { authorization: `Bearer ${generatedAdminKey!.key}`, accept: 'text/event-stream' },
      }),
    )
    expect(sse.status).toBe(200)
    const reading = sse.text()
    const started = Date.now()
    await podlaunch.close()
    // The stream ended by itself (the reader saw its end) well before the drain timeout.
    expect(await reading).toContain('connected')
    expect(Date.now() - started).toBeLessThan(4_000)
    const after = await podlaunch.fetch(new Request(`${origin}/healthz`))
    expect(after.status).toBe(503)
    await expect(deps.db.selectFrom('users').select('id').execute()).rejects.toThrow()
  })

  it('refuses a basePath that is not a plain path', () => {
    expect(() => createPodlaunch({ basePath: '/api/../admin', logger: silentLogger() })).toThrow(/basePath/)
    expect(() => createPodlaunch({ basePath: '/api/pod launch', logger: silentLogger() })).toThrow(/basePath/)
  })
})

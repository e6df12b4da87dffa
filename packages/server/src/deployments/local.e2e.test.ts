// End to end on the local provider: real server on loopback, real bash running the generated
// script, real curl downloading the dataset, real Python training, real callbacks.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TRPCError } from '@trpc/server'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateApiKey } from '../auth/authenticate.ts'
import { createInnerContext } from '../context.ts'
import { createLocalProvider, minimalHostEnv, type LocalProvider } from '@podlaunch/providers'
import { appRouter } from '../router.ts'
import { createReadyDataset, startTestServer, type TestServer, type TestUser } from '../testing.ts'
import { createCallerFactory } from '../trpc.ts'
import { processesUnder } from '../lifecycle/test-support.ts'
import { trainerFiles, waitFor, waitForPodTerminated, waitForStatus } from './test-support.ts'

const createCaller = createCallerFactory(appRouter)
let database: TestDatabase
let server: TestServer
let local: LocalProvider
let podsDir: string
let alice: TestUser
let bob: TestUser
let datasetId: string

async function callerFor(user: TestUser) {
  const authed = await authenticateApiKey(server.deps.db, server.deps.clock, user.apiKey)
  return createCaller(createInnerContext(server.deps, authed))
}

function spec(overrides: Record<string, unknown> = {}) {
  return {
    name: 'tiny-trainer',
    datasetId,
    provider: 'local' as const,
    gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
    trainCommand: 'python3 train.py',
    files: trainerFiles(),
    keepAliveSeconds: 1,
    ...overrides,
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  podsDir = await mkdtemp(join(tmpdir(), 'podlaunch-pods-'))
  local = createLocalProvider({ rootDir: podsDir, graceMs: 1000, hostEnv: minimalHostEnv(process.env) })
  server = await startTestServer(database.db, {
    providers: { local },
    config: { deployments: { heartbeatSeconds: 1, shipIntervalSeconds: 1 } },
  })
  alice = await server.user('alice')
  bob = await server.user('bob')
  datasetId = (await createReadyDataset(server.deps, alice.id, 'a,b\n1,2\n3,4\n', 'train.csv')).id
}, 60_000)

afterAll(async () => {
  await local.close()
  await server.close()
  await database.close()
  await rm(podsDir, { recursive: true, force: true })
})

describe('a deployment on the local provider', () => {
  it('downloads, trains, reports every phase in order, stores metrics, then revokes its tokens', async () => {
    const caller = await callerFor(alice)
    const preview = await caller.deployments.previewScript(spec())
    const created = await caller.deployments.create(spec())
    expect(created.scriptSha256).toBe(preview.sha256)
    expect((await caller.deployments.get({ id: created.id })).script).toBe(preview.script)

    const done = await waitForStatus(database.db, created.id, ['succeeded', 'failed'], 60_000)
    expect(done.status).toBe('succeeded')
    const events = await caller.deployments.events({ id: created.id })
    const statuses = events.filter((event) => event.kind === 'status' || event.kind === 'created').map((event) => event.status)
    expect(statuses).toEqual(['pending', 'provisioning', 'starting', 'downloading', 'training', 'succeeded'])

    const metrics = await caller.deployments.metrics({ id: created.id })
    expect(metrics.filter((point) => point.name === 'loss').map((point) => point.step)).toEqual([1, 2, 3])
    const downloads = await database.db.selectFrom('download_log').selectAll().where('deployment_id', '=', created.id).execute()
    expect(downloads.some((row) => row.status === 200 && Number(row.bytes_sent) === 12)).toBe(true)
    const logs = await caller.deployments.logs({ id: created.id })
    expect(logs.some((log) => log.line.includes('step 3 loss'))).toBe(true)

    const finished = await waitForPodTerminated(database.db, created.id)
    for (const jti of [finished.download_jti!, finished.pod_jti!]) {
      expect(await server.deps.revocations.isRevoked(jti)).toBe(true)
    }
  }, 90_000)

  it('makes one deployment and one pod for ten racing creates with one idempotency key', async () => {
    const caller = await callerFor(alice)
    const before = (await local.listPods('podlaunch-')).length
    const body = spec({ name: 'idempotent', idempotencyKey: 'race-1', trainCommand: 'sleep 30' })
    const results = await Promise.all(Array.from({ length: 10 }, () => caller.deployments.create(body)))
    expect(new Set(results.map((result) => result.id)).size).toBe(1)
    const rows = await database.db.selectFrom('deployments').select('id').where('idempotency_key', '=', 'race-1').execute()
    expect(rows).toHaveLength(1)
    expect((await local.listPods('podlaunch-')).length).toBe(before + 1)

    const conflict = await caller.deployments.create({ ...body, trainCommand: 'sleep 31' }).catch((error: unknown) => error)
    expect((conflict as TRPCError).code).toBe('CONFLICT')
    await caller.deployments.cancel({ id: results[0]!.id })
  }, 60_000)

  it('runs the afterPodCreated hook once the pod exists and before the database records it', async () => {
    const authed = await authenticateApiKey(server.deps.db, server.deps.clock, alice.apiKey)
    const seen: { podId: string; podExists: boolean; recordedPodId: string | null; status: string }[] = []
    const hooks = {
      afterPodCreated: async ({ deploymentId, podId }: { deploymentId: string; podId: string }) => {
        const row = await database.db.selectFrom('deployments').selectAll().where('id', '=', deploymentId).executeTakeFirstOrThrow()
        seen.push({ podId, podExists: (await local.getPod(podId)) !== undefined, recordedPodId: row.provider_pod_id, status: row.status })
      },
    }
    const caller = createCaller(createInnerContext({ ...server.deps, hooks }, authed))
    const created = await caller.deployments.create(spec({ name: 'hooked', trainCommand: 'sleep 30' }))
    expect(seen).toEqual([{ podId: created.providerPodId, podExists: true, recordedPodId: null, status: 'pending' }])
    expect(created.status).toBe('provisioning')
    await caller.deployments.cancel({ id: created.id })
  }, 60_000)

  it('cancels a running deployment: the process group is gone and the tokens revoked', async () => {
    const caller = await callerFor(alice)
    const created = await caller.deployments.create(spec({ name: 'long', trainCommand: 'sleep 600 & wait' }))
    await waitForStatus(database.db, created.id, ['training'])
    const cancelled = await caller.deployments.cancel({ id: created.id })
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.failureReason).toBe('cancelled')
    expect(cancelled.podTerminatedAt).not.toBeNull()
    const pod = await local.getPod(created.providerPodId!)
    expect(pod?.status).toBe('terminated')
    // The trainer too (it runs under `timeout`), not only the script: nothing runs in the pod's directory.
    await waitFor(async () => (processesUnder(pod!.workDir).length === 0 ? true : undefined), 5000, 'the pod processes to end')
    const row = await database.db.selectFrom('deployments').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(await server.deps.revocations.isRevoked(row.download_jti!)).toBe(true)
    expect(await server.deps.revocations.isRevoked(row.pod_jti!)).toBe(true)
    const again = await caller.deployments.cancel({ id: created.id }).catch((error: unknown) => error)
    expect((again as TRPCError).code).toBe('CONFLICT')
  }, 60_000)

  it('reports a failing trainer as failed with its reason, exit code and last log lines', async () => {
    const caller = await callerFor(alice)
    const created = await caller.deployments.create(spec({ name: 'broken', trainCommand: 'echo "about to fail"; exit 3' }))
    const done = await waitForStatus(database.db, created.id, ['succeeded', 'failed'], 60_000)
    expect(done.status).toBe('failed')
    expect(done.failure_reason).toBe('training_failed')
    const failed = (await caller.deployments.events({ id: created.id })).find((event) => event.status === 'failed')
    expect(failed?.data).toMatchObject({ exitCode: 3 })
    expect(String(failed?.data?.logTail)).toContain('about to fail')
    await waitForPodTerminated(database.db, created.id)
  }, 60_000)
})

describe('deployment input and scoping', () => {
  it('refuses bad input with a clear error and writes nothing', async () => {
    const caller = await callerFor(alice)
    const count = async () =>
      (
        await database.db
          .selectFrom('deployments')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n
    const before = await count()
    const cases: [Record<string, unknown>, string][] = [
      [{ datasetId: '00000000-0000-4000-8000-000000000000' }, 'PRECONDITION_FAILED'],
      [{ gpu: { types: [], count: 1 } }, 'BAD_REQUEST'],
      [{ env: { 'bad-name': 'x' } }, 'BAD_REQUEST'],
      [{ env: { PODLAUNCH_POD_TOKEN: 'x' } }, 'BAD_REQUEST'],
      [{ files: [{ path: 'big.bin', content: 'x'.repeat(1024 * 1024 + 1) }] }, 'BAD_REQUEST'],
      [{ files: [{ path: '../escape.sh', content: 'x' }] }, 'BAD_REQUEST'],
      [{ trainCommand: 'echo \0' }, 'BAD_REQUEST'],
      [{ maxRuntimeSeconds: 30 * 24 * 3600 }, 'BAD_REQUEST'],
    ]
    for (const [overrides, code] of cases) {
      const error = await caller.deployments.create(spec(overrides)).catch((caught: unknown) => caught)
      expect(error, JSON.stringify(overrides).slice(0, 80)).toBeInstanceOf(TRPCError)
      expect((error as TRPCError).code, JSON.stringify(overrides).slice(0, 80)).toBe(code)
    }
    expect(await count()).toBe(before)
  })

  it("answers NOT_FOUND to another user on every procedure of alice's deployment", async () => {
    const aliceCaller = await callerFor(alice)
    const created = await aliceCaller.deployments.create(spec({ name: 'private', trainCommand: 'true', keepAliveSeconds: 0 }))
    const bobCaller = await callerFor(bob)
    const id = created.id
    const attempts: Promise<unknown>[] = [
      bobCaller.deployments.get({ id }),
      bobCaller.deployments.events({ id }),
      bobCaller.deployments.logs({ id }),
      bobCaller.deployments.metrics({ id }),
      bobCaller.deployments.cancel({ id }),
    ]
    // Settled together: a rejection must never wait unobserved for an earlier one.
    const errors = await Promise.all(
      attempts.map((attempt) =>
        attempt.then(
          () => undefined,
          (caught: unknown) => caught,
        ),
      ),
    )
    for (const error of errors) expect((error as TRPCError).code).toBe('NOT_FOUND')
    expect((await bobCaller.deployments.list()).items.map((item) => item.id)).not.toContain(id)
    // Bob cannot deploy Alice's dataset either.
    const borrowed = await bobCaller.deployments.create(spec()).catch((caught: unknown) => caught)
    expect((borrowed as TRPCError).code).toBe('PRECONDITION_FAILED')
  }, 30_000)

  it('lists with cursor pagination and a status filter', async () => {
    const caller = await callerFor(alice)
    const first = await caller.deployments.list({ limit: 2 })
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).not.toBeNull()
    const second = await caller.deployments.list({ limit: 2, cursor: first.nextCursor! })
    expect(second.items.map((item) => item.id)).not.toContain(first.items[0]!.id)
    const cancelled = await caller.deployments.list({ status: ['cancelled'] })
    expect(cancelled.items.length).toBeGreaterThan(0)
    expect(cancelled.items.every((item) => item.status === 'cancelled')).toBe(true)
  })
})

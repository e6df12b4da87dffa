// Every way a deployment ends, end to end on runpod-sim: real server on loopback, the runpod
// provider over real HTTP, real bash running the decoded script inside each sim pod, and the
// reconciler called directly with an injected clock where waiting would be slow.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { startRunpodSim, validateCreatePodBody, type RunpodSim } from '@podlaunch/runpod-sim'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateApiKey } from '../auth/authenticate.ts'
import { createInnerContext } from '../context.ts'
import { reconcileOnce } from '../lifecycle/reconcile.ts'
import { killStrayProcesses, processGroupGone } from '../lifecycle/test-support.ts'
import { createRunpodProvider, type FetchFn, type RunpodProvider } from '@podlaunch/providers'
import { appRouter } from '../router.ts'
import { createReadyDataset, startTestServer, type TestServer, type TestUser } from '../testing.ts'
import { createCallerFactory } from '../trpc.ts'
import { trainerFiles, waitFor, waitForPodTerminated, waitForStatus } from './test-support.ts'

const H100 = 'NVIDIA H100 80GB HBM3'
const RTX4090 = 'NVIDIA GeForce RTX 4090'
const createCaller = createCallerFactory(appRouter)

let database: TestDatabase
let sim: RunpodSim
let server: TestServer
let alice: TestUser
let datasetId: string
let runpod: RunpodProvider
// The server's clock runs with real time plus this offset; tests move it forward.
let offsetMs = 0
const clock = () => new Date(Date.now() + offsetMs)
const sleeps: number[] = []
// Set by the 422 test: the next create body gets a property RunPod's contract forbids.
let breakNextCreate = false

const simFetch: FetchFn = (input, init) => {
  if (breakNextCreate && init.method === 'POST' && input.endsWith('/pods') && typeof init.body === 'string') {
    breakNextCreate = false
    return fetch(input, { ...init, body: JSON.stringify({ ...JSON.parse(init.body), entrypoint: ['bash'] }) })
  }
  return fetch(input, init)
}

function runpodFor(target: RunpodSim): RunpodProvider {
  return createRunpodProvider({
    apiKey: target.apiKey,
    baseUrl: target.url,
    fetch: simFetch,
    backoffBaseMs: 1,
    sleep: async (ms) => {
      sleeps.push(ms)
      await new Promise((resolve) => setTimeout(resolve, 5))
    },
  })
}

const simOptions = {
  provisioningMs: 100,
  startingMs: 20,
  restartDelayMs: 300,
  killGraceMs: 200,
  podEnv: (pod: { dir: string }) => ({ PODLAUNCH_WORKDIR: join(pod.dir, 'workspace') }),
}

beforeAll(async () => {
  database = await createTestDatabase()
  sim = await startRunpodSim(simOptions)
  runpod = runpodFor(sim)
  server = await startTestServer(database.db, {
    clock,
    providers: { runpod },
    config: { deployments: { defaultProvider: 'runpod', heartbeatSeconds: 1, shipIntervalSeconds: 1 } },
  })
  alice = await server.user('alice')
  datasetId = (await createReadyDataset(server.deps, alice.id, 'a,b\n1,2\n3,4\n', 'train.csv')).id
}, 60_000)

afterAll(async () => {
  if (sim) killStrayProcesses(sim.workRoot)
  await sim?.close()
  await server?.close()
  await database?.close()
})

async function caller() {
  const authed = await authenticateApiKey(server.deps.db, server.deps.clock, alice.apiKey)
  return createCaller(createInnerContext(server.deps, authed))
}

function spec(overrides: Record<string, unknown> = {}) {
  return {
    name: 'sim-trainer',
    datasetId,
    gpu: { types: [RTX4090], count: 1 },
    trainCommand: 'python3 train.py',
    files: trainerFiles(),
    keepAliveSeconds: 1,
    ...overrides,
  }
}

async function row(id: string) {
  return database.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** The sim pod is terminated, bills no more, and its process group is gone. */
async function expectPodGone(target: RunpodSim, podId: string, pid?: number | null) {
  const pod = target.pod(podId)
  expect(pod?.status).toBe('TERMINATED')
  expect(pod?.running).toBe(false)
  expect(target.billing(podId).terminatedAt).not.toBeNull()
  if (pid) expect(await processGroupGone(pid)).toBe(true)
}

async function expectTokensRevoked(id: string) {
  const current = await row(id)
  for (const jti of [current.download_jti!, current.pod_jti!]) expect(await server.deps.revocations.isRevoked(jti)).toBe(true)
}

/** Moves the server's clock, then waits for a heartbeat stamped after the jump. */
async function advanceKeepingHeartbeat(id: string, ms: number) {
  offsetMs += ms
  const jumped = clock().getTime() - 100
  await waitFor(
    async () => {
      const current = await row(id)
      return current.last_heartbeat_at && current.last_heartbeat_at.getTime() >= jumped ? true : undefined
    },
    10_000,
    'a heartbeat after the clock jump',
  )
}

describe('deployments on runpod-sim', () => {
  it('succeeds after walking past a GPU without capacity and waiting out a 429; the pod ends itself after keep-alive', async () => {
    sim.faults.noCapacity = [H100]
    sim.faults.rateLimit = { count: 1, retryAfterSeconds: 7 }
    sim.createRequests.length = 0
    sleeps.length = 0
    const created = await (await caller()).deployments.create(spec({ gpu: { types: [H100, RTX4090], count: 1 } }))
    sim.faults.noCapacity = []
    expect(sleeps).toContain(7000)
    expect(sim.createRequests).toHaveLength(3) // 429, capacity 400 on H100, 201 on the 4090
    for (const body of sim.createRequests) expect(validateCreatePodBody(body)).toMatchObject({ valid: true })
    // A fast pod may have reported before create returned.
    expect(['provisioning', 'starting', 'downloading', 'training']).toContain(created.status)
    expect(created.gpuType).toBe(RTX4090)
    const pid = sim.pod(created.providerPodId!)?.pid

    const done = await waitForStatus(database.db, created.id, ['succeeded', 'failed'], 30_000)
    expect(done.status).toBe('succeeded')
    const events = await (await caller()).deployments.events({ id: created.id })
    const statuses = events.filter((event) => event.kind === 'status').map((event) => event.status)
    expect(statuses.slice(-3)).toEqual(['downloading', 'training', 'succeeded'])
    const metrics = await (await caller()).deployments.metrics({ id: created.id })
    expect(metrics.filter((point) => point.name === 'loss').map((point) => point.step)).toEqual([1, 2, 3])

    // keepAliveSeconds 1: the script asks to be terminated, the server does it.
    const finished = await waitForPodTerminated(database.db, created.id, 20_000)
    const teardown = (await (await caller()).deployments.events({ id: created.id })).find((event) => event.kind === 'pod_terminated')
    expect(teardown?.data).toMatchObject({ reason: 'terminate_request' })
    await expectPodGone(sim, finished.provider_pod_id!, pid)
    await expectTokensRevoked(created.id)
  }, 60_000)

  it('terminates a succeeded pod once its keep-alive window has passed (reconciler)', async () => {
    const created = await (await caller()).deployments.create(spec({ keepAliveSeconds: 3600 }))
    await waitForStatus(database.db, created.id, ['succeeded'], 30_000)
    expect((await reconcileOnce(server.deps)).actions.filter((action) => action.deploymentId === created.id)).toEqual([])
    expect(sim.pod(created.providerPodId!)?.status).toBe('RUNNING')

    offsetMs += 3601_000
    const report = await reconcileOnce(server.deps)
    expect(report.actions.filter((action) => action.deploymentId === created.id)).toEqual([
      { deploymentId: created.id, podId: created.providerPodId, action: 'keep_alive_expired' },
    ])
    expect((await row(created.id)).pod_terminated_at).not.toBeNull()
    await expectPodGone(sim, created.providerPodId!)
    await expectTokensRevoked(created.id)
  }, 60_000)

  it('terminates the pod at once when training fails', async () => {
    const created = await (await caller()).deployments.create(spec({ trainCommand: 'echo "about to fail"; exit 3' }))
    const done = await waitForStatus(database.db, created.id, ['succeeded', 'failed'], 30_000)
    const pid = sim.pod(created.providerPodId!)?.pid
    expect(done.status).toBe('failed')
    expect(done.failure_reason).toBe('training_failed')
    const gone = await waitForPodTerminated(database.db, created.id, 10_000)
    // No keep-alive for a failure: torn down right after the report.
    expect(gone.pod_terminated_at!.getTime() - done.finished_at!.getTime()).toBeLessThan(5_000)
    await expectPodGone(sim, created.providerPodId!, pid)
    await expectTokensRevoked(created.id)
  }, 60_000)

  it('fails a 422 with provider_error at once, without a retry, and revokes the tokens', async () => {
    sim.createRequests.length = 0
    breakNextCreate = true
    const created = await (await caller()).deployments.create(spec({ gpu: { types: [RTX4090, H100], count: 1 } }))
    expect(created.status).toBe('failed')
    expect(created.failureReason).toBe('provider_error')
    expect(sim.createRequests).toHaveLength(1)
    expect(sim.pods().filter((pod) => pod.name === `podlaunch-${created.id}`)).toEqual([])
    const current = await row(created.id)
    expect(current.pod_terminated_at).not.toBeNull()
    await expectTokensRevoked(created.id)
  })

  it('fails with no_capacity when no candidate has capacity', async () => {
    sim.faults.noCapacity = [H100, RTX4090]
    try {
      const created = await (await caller()).deployments.create(spec({ gpu: { types: [H100, RTX4090], count: 1 } }))
      expect(created.status).toBe('failed')
      expect(created.failureReason).toBe('no_capacity')
      await expectTokensRevoked(created.id)
    } finally {
      sim.faults.noCapacity = []
    }
  })

  it('fails a silent pod with heartbeat_lost and terminates it', async () => {
    const created = await (await caller()).deployments.create(spec({ trainCommand: 'sleep 600' }))
    await waitForStatus(database.db, created.id, ['training'], 30_000)
    sim.silencePod(created.providerPodId!)
    const pid = sim.pod(created.providerPodId!)?.pid
    expect((await reconcileOnce(server.deps)).actions.filter((action) => action.deploymentId === created.id)).toEqual([])

    offsetMs += 3 * 1000 + 2_000
    const report = await reconcileOnce(server.deps)
    expect(report.actions.filter((action) => action.deploymentId === created.id)).toEqual([
      { deploymentId: created.id, podId: created.providerPodId, action: 'heartbeat_lost' },
    ])
    const current = await row(created.id)
    expect([current.status, current.failure_reason]).toEqual(['failed', 'heartbeat_lost'])
    expect(current.pod_terminated_at).not.toBeNull()
    await expectPodGone(sim, created.providerPodId!, pid)
    await expectTokensRevoked(created.id)
  }, 60_000)

  it('fails an over-budget deployment with budget_exceeded and terminates it', async () => {
    // 0.69 USD/h on the 4090: 0.01 USD is spent after about 52 s.
    const created = await (await caller()).deployments.create(spec({ trainCommand: 'sleep 600', maxCostUsd: 0.01 }))
    await waitForStatus(database.db, created.id, ['training'], 30_000)
    expect((await reconcileOnce(server.deps)).actions.filter((action) => action.deploymentId === created.id)).toEqual([])

    await advanceKeepingHeartbeat(created.id, 60_000)
    const report = await reconcileOnce(server.deps)
    expect(report.actions.filter((action) => action.deploymentId === created.id)).toEqual([
      { deploymentId: created.id, podId: created.providerPodId, action: 'budget_exceeded' },
    ])
    const current = await row(created.id)
    expect([current.status, current.failure_reason]).toEqual(['failed', 'budget_exceeded'])
    await expectPodGone(sim, created.providerPodId!)
    await expectTokensRevoked(created.id)
  }, 60_000)

  it('fails a pod that never starts with provisioning_timeout and terminates it', async () => {
    // A sim whose pods stay PROVISIONING for an hour: the script never runs, never reports.
    const stuck = await startRunpodSim({ ...simOptions, provisioningMs: 3_600_000 })
    const original = server.deps.providers.runpod
    server.deps.providers.runpod = runpodFor(stuck)
    try {
      const created = await (await caller()).deployments.create(spec())
      expect(created.status).toBe('provisioning')
      expect(stuck.pod(created.providerPodId!)?.status).toBe('PROVISIONING')
      expect((await reconcileOnce(server.deps)).actions.filter((action) => action.deploymentId === created.id)).toEqual([])

      offsetMs += server.deps.config.deployments.provisioningTimeoutSeconds * 1000 + 1000
      const report = await reconcileOnce(server.deps)
      expect(report.actions.filter((action) => action.deploymentId === created.id)).toEqual([
        { deploymentId: created.id, podId: created.providerPodId, action: 'provisioning_timeout' },
      ])
      const current = await row(created.id)
      expect([current.status, current.failure_reason]).toEqual(['failed', 'provisioning_timeout'])
      await expectPodGone(stuck, created.providerPodId!)
      await expectTokensRevoked(created.id)
    } finally {
      server.deps.providers.runpod = original
      killStrayProcesses(stuck.workRoot)
      await stuck.close()
    }
  }, 60_000)

  it('terminates a pod with our prefix that no deployment owns and leaves other pods alone', async () => {
    const make = async (name: string) => {
      const response = await fetch(`${sim.url}/pods`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          image: 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2204',
          gpu: { id: RTX4090, count: 1 },
          args: 'sleep infinity',
        }),
      })
      expect(response.status).toBe(201)
      return ((await response.json()) as { id: string }).id
    }
    const orphan = await make(`podlaunch-${randomUUID()}`)
    const foreign = await make('someone-elses-job')
    try {
      await waitFor(async () => (sim.pod(orphan)?.running ? true : undefined), 10_000, 'the orphan to run')
      const report = await reconcileOnce(server.deps)
      expect(report.actions).toContainEqual({ deploymentId: null, podId: orphan, action: 'orphan' })
      expect(report.actions.some((action) => action.podId === foreign)).toBe(false)
      await expectPodGone(sim, orphan)
      expect(sim.pod(foreign)?.status).not.toBe('TERMINATED')
    } finally {
      await runpod.terminatePod(foreign)
    }
  }, 30_000)

  it('leaves no sim pod running that a live deployment does not own', async () => {
    const live = await database.db.selectFrom('deployments').select('provider_pod_id').where('pod_terminated_at', 'is', null).execute()
    const owned = new Set(live.map((item) => item.provider_pod_id))
    for (const pod of sim.pods()) {
      if (pod.status !== 'TERMINATED') expect(owned.has(pod.id), `${pod.name} (${pod.status})`).toBe(true)
    }
  })
})

// The reconciler's decisions with an injected clock and an in-memory provider whose answers
// the tests control (listing failures, refused terminations). The sim-backed end-to-end runs
// are in deployments/runpod.e2e.test.ts.
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { podName, type Provider, type ProviderPod } from '@podlaunch/providers'
import { startTestServer, type TestServer, type TestUser } from '../testing.ts'
import { reconcileOnce } from './reconcile.ts'
import { seedDeployment } from './test-support.ts'

class FakeProvider implements Provider {
  readonly name = 'local' as const
  pods = new Map<string, ProviderPod>()
  listFails = false
  terminateFails = false
  terminated: string[] = []
  async createPod(): Promise<ProviderPod> {
    throw new Error('not used')
  }
  async getPod(podId: string) {
    return this.pods.get(podId)
  }
  async terminatePod(podId: string) {
    if (this.terminateFails) throw new Error('provider said no')
    this.terminated.push(podId)
    const pod = this.pods.get(podId)
    if (pod) pod.status = 'terminated'
  }
  async listPods(prefix: string) {
    if (this.listFails) throw new Error('listing failed')
    return [...this.pods.values()].filter((pod) => pod.name.startsWith(prefix))
  }
  add(name: string): ProviderPod {
    const pod: ProviderPod = { podId: `pod-${this.pods.size + 1}`, name, status: 'running', gpuType: 'NVIDIA L4', costPerHr: 0.5 }
    this.pods.set(pod.podId, pod)
    return pod
  }
}

let database: TestDatabase
let server: TestServer
let alice: TestUser
const provider = new FakeProvider()
let offsetMs = 0

beforeAll(async () => {
  database = await createTestDatabase()
  server = await startTestServer(database.db, {
    clock: () => new Date(Date.now() + offsetMs),
    providers: { local: provider },
    config: { deployments: { pendingGraceSeconds: 60 } },
  })
  alice = await server.user('alice')
}, 60_000)

afterAll(async () => {
  await server.close()
  await database.close()
})

async function row(id: string) {
  return database.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

const actionsFor = (report: Awaited<ReturnType<typeof reconcileOnce>>, id: string) =>
  report.actions.filter((action) => action.deploymentId === id)

describe('reconcileOnce', () => {
  it('adopts a pod found by name for a row left without one, after the grace period only', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'pending' })
    const pod = provider.add(podName(dep.id))
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([]) // within grace: a create may be under way
    offsetMs += 61_000
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([{ deploymentId: dep.id, podId: pod.podId, action: 'adopted' }])
    const adopted = await row(dep.id)
    expect([adopted.status, adopted.provider_pod_id, adopted.gpu_type]).toEqual(['provisioning', pod.podId, 'NVIDIA L4'])
    expect(provider.terminated).not.toContain(pod.podId)
  })

  it('adopts the pod of a row that finished before its pod was recorded, then tears it down through it', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'succeeded', keepAliveSeconds: 120 })
    const pod = provider.add(podName(dep.id))
    offsetMs += 61_000
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([{ deploymentId: dep.id, podId: pod.podId, action: 'adopted' }])
    const adopted = await row(dep.id)
    expect([adopted.status, adopted.provider_pod_id, adopted.pod_terminated_at]).toEqual(['succeeded', pod.podId, null])
    expect(provider.terminated).not.toContain(pod.podId) // its keep-alive window still runs
    offsetMs += 60_000
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([
      { deploymentId: dep.id, podId: pod.podId, action: 'keep_alive_expired' },
    ])
    expect(provider.terminated).toContain(pod.podId)
    expect((await row(dep.id)).pod_terminated_at).not.toBeNull()
  })

  it('fails a row left without a pod when no pod carries its name', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'pending' })
    offsetMs += 61_000
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([{ deploymentId: dep.id, podId: null, action: 'creation_lost' }])
    const failed = await row(dep.id)
    expect([failed.status, failed.failure_reason]).toEqual(['failed', 'provider_error'])
    expect(failed.pod_terminated_at).not.toBeNull()
  })

  it('does not fail a row without a pod while the provider cannot list its pods', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'pending' })
    const pod = provider.add(podName(dep.id))
    offsetMs += 61_000
    provider.listFails = true
    try {
      expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([])
      expect((await row(dep.id)).status).toBe('pending')
    } finally {
      provider.listFails = false
    }
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([{ deploymentId: dep.id, podId: pod.podId, action: 'adopted' }])
  })

  it('fails a deployment past its max runtime (plus grace) and terminates its pod', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'training' })
    const pod = provider.add(podName(dep.id))
    const now = server.deps.clock()
    await database.db
      .updateTable('deployments')
      .set({ provider_pod_id: pod.podId, started_at: now, last_heartbeat_at: now, max_runtime_s: 10 })
      .where('id', '=', dep.id)
      .execute()
    offsetMs += 10_000
    // Keep the pod looking alive: only the runtime limit is at stake.
    await database.db.updateTable('deployments').set({ last_heartbeat_at: server.deps.clock() }).where('id', '=', dep.id).execute()
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([]) // the script's own timeout goes first
    offsetMs += 61_000
    await database.db.updateTable('deployments').set({ last_heartbeat_at: server.deps.clock() }).where('id', '=', dep.id).execute()
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([
      { deploymentId: dep.id, podId: pod.podId, action: 'max_runtime_exceeded' },
    ])
    expect((await row(dep.id)).failure_reason).toBe('max_runtime_exceeded')
    expect(provider.terminated).toContain(pod.podId)
  })

  it('keeps a refused termination unconfirmed, records it, and retries on the next pass', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'training' })
    const pod = provider.add(podName(dep.id))
    await database.db
      .updateTable('deployments')
      .set({ provider_pod_id: pod.podId, last_heartbeat_at: server.deps.clock() })
      .where('id', '=', dep.id)
      .execute()
    provider.terminateFails = true
    try {
      offsetMs += 3 * server.deps.config.deployments.heartbeatSeconds * 1000 + 1000
      expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([
        { deploymentId: dep.id, podId: pod.podId, action: 'heartbeat_lost' },
      ])
      const current = await row(dep.id)
      expect(current.status).toBe('failed')
      expect(current.pod_terminated_at).toBeNull()
      // The pod token stays valid until the pod is confirmed gone.
      expect(await server.deps.revocations.isRevoked(dep.podJti)).toBe(false)
      const kinds = await database.db.selectFrom('deployment_events').select('kind').where('deployment_id', '=', dep.id).execute()
      expect(kinds.map((event) => event.kind)).toContain('terminate_failed')
    } finally {
      provider.terminateFails = false
    }
    expect(actionsFor(await reconcileOnce(server.deps), dep.id)).toEqual([
      { deploymentId: dep.id, podId: pod.podId, action: 'terminate_retry' },
    ])
    expect((await row(dep.id)).pod_terminated_at).not.toBeNull()
    expect(await server.deps.revocations.isRevoked(dep.podJti)).toBe(true)
  })

  it('terminates a pod whose deployment is already torn down, and purges expired revocations', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'failed' })
    await database.db.updateTable('deployments').set({ pod_terminated_at: server.deps.clock() }).where('id', '=', dep.id).execute()
    const stray = provider.add(podName(dep.id))
    await server.deps.revocations.revoke('expired-jti', new Date(server.deps.clock().getTime() - 1000), 'test')
    const report = await reconcileOnce(server.deps)
    expect(report.actions).toContainEqual({ deploymentId: dep.id, podId: stray.podId, action: 'orphan' })
    expect(report.purgedRevocations).toBeGreaterThanOrEqual(1)
  })
})

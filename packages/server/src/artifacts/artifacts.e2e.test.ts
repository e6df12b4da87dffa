// End to end: a real server on loopback, the generated script under real bash on the local
// provider and on the RunPod simulator, tar + zstd + curl uploading the trained model, the
// pod terminated within seconds of succeeding, and the archive downloaded back byte for byte.
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProviderName } from '@podlaunch/contract'
import { startRunpodSim, type RunpodSim } from '@podlaunch/runpod-sim'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateApiKey } from '../auth/authenticate.ts'
import { createInnerContext } from '../context.ts'
import { waitForPodTerminated, waitForStatus } from '../deployments/test-support.ts'
import { createLocalProvider, createRunpodProvider, minimalHostEnv, type LocalProvider } from '@podlaunch/providers'
import { appRouter } from '../router.ts'
import { createReadyDataset, startTestServer, type TestServer, type TestUser } from '../testing.ts'
import { createCallerFactory } from '../trpc.ts'
import { sha256 } from './test-support.ts'

const createCaller = createCallerFactory(appRouter)
// The trainer writes a model and a few small files into output/.
const TRAIN = [
  'mkdir -p output/ckpt',
  'head -c 2000000 /dev/urandom >output/ckpt/model.bin',
  'echo "{\\"lr\\": 0.1}" >output/config.json',
  'echo "done" >output/DONE',
].join('\n')

let database: TestDatabase
let server: TestServer
let local: LocalProvider
let sim: RunpodSim
let dirs: string[] = []
let alice: TestUser
let datasetId: string

beforeAll(async () => {
  database = await createTestDatabase()
  const podsDir = await mkdtemp(join(tmpdir(), 'podlaunch-artifact-pods-'))
  dirs.push(podsDir)
  local = createLocalProvider({ rootDir: podsDir, graceMs: 1000, hostEnv: minimalHostEnv(process.env) })
  sim = await startRunpodSim({
    provisioningMs: 10,
    startingMs: 10,
    killGraceMs: 200,
    podEnv: (pod) => ({ PODLAUNCH_WORKDIR: join(pod.dir, 'workspace') }),
  })
  server = await startTestServer(database.db, {
    providers: { local, runpod: createRunpodProvider({ apiKey: sim.apiKey, baseUrl: sim.url }) },
    config: { maxArtifactBytes: 64 * 1024 * 1024, deployments: { heartbeatSeconds: 1, shipIntervalSeconds: 1 } },
  })
  alice = await server.user('alice')
  datasetId = (await createReadyDataset(server.deps, alice.id, 'a,b\n1,2\n', 'train.csv')).id
}, 60_000)

afterAll(async () => {
  await local.close()
  await sim.close()
  await server.close()
  await database.close()
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  dirs = []
})

async function caller() {
  return createCaller(createInnerContext(server.deps, await authenticateApiKey(server.deps.db, server.deps.clock, alice.apiKey)))
}

function spec(provider: ProviderName, overrides: Record<string, unknown> = {}) {
  return {
    name: `artifacts-${provider}`,
    datasetId,
    provider,
    gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
    trainCommand: TRAIN,
    keepAliveSeconds: 3600,
    ...overrides,
  }
}

/** The pod's own output/ folder: the local provider's work directory, or the simulator's. */
async function podOutput(provider: ProviderName, podId: string): Promise<string> {
  const root = provider === 'local' ? (await local.getPod(podId))!.workDir : sim.pod(podId)!.dir
  return join(root, 'workspace', 'output')
}

describe.each(['local', 'runpod'] as const)('artifacts on the %s provider', (provider) => {
  it('uploads output/ after training, terminates the pod within seconds and downloads byte-identical', async () => {
    const api = await caller()
    const created = await api.deployments.create(spec(provider))
    const done = await waitForStatus(database.db, created.id, ['succeeded', 'failed'], 60_000)
    expect(done.status).toBe('succeeded')
    const terminated = await waitForPodTerminated(database.db, created.id, 30_000)
    const seconds = (terminated.pod_terminated_at!.getTime() - terminated.finished_at!.getTime()) / 1000
    // No keep-alive (3600 s were asked for): the pod went as soon as its model was stored.
    expect(seconds).toBeLessThan(10)
    console.info(
      `[artifacts e2e] ${provider}: succeeded -> pod terminated in ${seconds.toFixed(2)} s (pod-seconds saved vs keep-alive: ${(3600 - seconds).toFixed(0)})`,
    )

    const [artifact, ...more] = await api.deployments.artifacts({ id: created.id })
    expect(more).toEqual([])
    expect(artifact).toMatchObject({ name: 'artifacts.tar.zst', status: 'complete' })
    const events = await api.deployments.events({ id: created.id })
    const kinds = events.map((event) => event.kind)
    expect(kinds).toContain('artifact_stored')
    const uploaded = events.find((event) => event.kind === 'artifacts_uploaded')
    expect(uploaded?.data).toMatchObject({ id: artifact!.id, bytes: artifact!.sizeBytes, sha256: artifact!.sha256 })
    expect(events.find((event) => event.kind === 'pod_terminated')?.message).toMatch(/terminate_request|artifacts_uploaded/)

    // The SDK-equivalent path: a signed URL, then the bytes over HTTP.
    const link = await api.artifacts.createDownloadUrl({ id: artifact!.id })
    const response = await fetch(link.url)
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(bytes.length).toBe(artifact!.sizeBytes)
    expect(sha256(bytes)).toBe(artifact!.sha256)
    const dir = await mkdtemp(join(tmpdir(), 'podlaunch-unpacked-'))
    dirs.push(dir)
    await writeFile(join(dir, 'a.tar.zst'), bytes)
    const untar = spawnSync('tar', ['-x', '--zstd', '-f', 'a.tar.zst'], { cwd: dir })
    expect(untar.status, untar.stderr.toString()).toBe(0)
    expect((await readFile(join(dir, 'output/DONE'), 'utf8')).trim()).toBe('done')
    const podDir = await podOutput(provider, created.providerPodId!)
    expect((await readFile(join(dir, 'output/ckpt/model.bin'))).equals(await readFile(join(podDir, 'ckpt/model.bin')))).toBe(true)
  }, 90_000)
})

describe('when the server refuses the artifact', () => {
  it('reports artifact_upload_failed with the reason and keeps the pod for its keep-alive window', async () => {
    const api = await caller()
    const created = await api.deployments.create(
      spec('local', { name: 'too-big', keepAliveSeconds: 2, artifacts: { paths: ['output'], maxBytes: 1000 } }),
    )
    const done = await waitForStatus(database.db, created.id, ['succeeded', 'failed'], 60_000)
    expect(done.status).toBe('succeeded')
    const terminated = await waitForPodTerminated(database.db, created.id, 30_000)
    expect(terminated.pod_terminated_at!.getTime() - terminated.finished_at!.getTime()).toBeGreaterThanOrEqual(2000)
    const events = await api.deployments.events({ id: created.id })
    const failed = events.find((event) => event.kind === 'artifact_upload_failed')
    expect(failed?.message).toContain('HTTP 413 PAYLOAD_TOO_LARGE')
    expect(events.find((event) => event.kind === 'terminate_request')?.message).toBe('keep_alive_expired')
    expect(await api.deployments.artifacts({ id: created.id })).toEqual([])
  }, 90_000)
})

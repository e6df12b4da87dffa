// Crash recovery with the real server process (apps/server, run by tsx as `pnpm start` does):
// the process is SIGKILLed right after RunPod (the sim) created the pod and before the database
// recorded it (apps/server's test-only entry sets the server's afterPodCreated hook to do it).
// Restarted from main.ts, its reconciler finds the pod by name and adopts or terminates it; no
// pod is left billing without a live deployment that owns it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRunpodSim, type RunpodSim } from '@podlaunch/runpod-sim'
import { createTestDatabase, usingPostgres, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { TRAINER_PY, waitFor } from '../deployments/test-support.ts'
import { freePort } from '../testing.ts'
import { killStrayProcesses } from './test-support.ts'

const appDir = fileURLToPath(new URL('../../../../apps/server/', import.meta.url))
const ADMIN_KEY = `pl_${'c'.repeat(43)}`
const MAIN = 'src/main.ts'
const CRASHING_MAIN = 'src/testing/crash-after-pod-created.ts'

const children: ChildProcess[] = []
const cleanups: (() => Promise<unknown>)[] = []

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const cleanup of cleanups.reverse()) await cleanup()
})

function startProcess(entry: string, env: Record<string, string>) {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info' }
  const child = spawn(join(appDir, 'node_modules/.bin/tsx'), [entry], { cwd: appDir, env: { ...base, ...env } })
  children.push(child)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const ready = waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited early: ${output.slice(-2000)}`)
      return /podlaunch listening/.test(output) ? true : undefined
    },
    60_000,
    'the server to listen',
  )
  return { child, ready, output: () => output }
}

async function trpc<T>(url: string, path: string, input: unknown, method: 'GET' | 'POST' = 'POST'): Promise<T> {
  const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }
  const response =
    method === 'POST'
      ? await fetch(`${url}/trpc/${path}`, { method, headers, body: JSON.stringify(input) })
      : await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
  const body = (await response.json()) as { result?: { data: T }; error?: unknown }
  if (!body.result) throw new Error(`${path} failed: ${response.status} ${JSON.stringify(body.error)}`)
  return body.result.data
}

interface DeploymentView {
  id: string
  status: string
  failureReason: string | null
  providerPodId: string | null
  podTerminatedAt: string | null
}

describe(`crash after the pod was created (${usingPostgres ? 'Postgres' : 'embedded PGlite'})`, () => {
  let sim: RunpodSim

  it('restarts, finds the pod by name and leaves no pod billing without an owner', async () => {
    sim = await startRunpodSim({
      provisioningMs: 50,
      startingMs: 20,
      restartDelayMs: 300,
      killGraceMs: 200,
      podEnv: (pod) => ({ PODLAUNCH_WORKDIR: join(pod.dir, 'workspace') }),
    })
    cleanups.push(() => sim.close())
    cleanups.push(async () => killStrayProcesses(sim.workRoot))
    const dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-crash-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    let database: TestDatabase | undefined
    if (usingPostgres) {
      database = await createTestDatabase({ migrate: false })
      const handle = database
      cleanups.push(() => handle.close())
    }
    const port = await freePort()
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      PODLAUNCH_DATA_DIR: dataDir,
      PODLAUNCH_ADMIN_API_KEY: ADMIN_KEY,
      PODLAUNCH_DEFAULT_PROVIDER: 'runpod',
      PODLAUNCH_RUNPOD_API_KEY: sim.apiKey,
      PODLAUNCH_RUNPOD_URL: sim.url,
      PODLAUNCH_HEARTBEAT_SECONDS: '1',
      PODLAUNCH_SHIP_INTERVAL_SECONDS: '1',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    }
    const url = `http://127.0.0.1:${port}`

    // 1. A server that dies right after the pod is created.
    const doomed = startProcess(CRASHING_MAIN, env)
    await doomed.ready
    const content = 'a,b\n1,2\n3,4\n'
    const sha256 = createHash('sha256').update(content).digest('hex')
    const created = await trpc<{ dataset: { id: string }; uploadUrl: string }>(url, 'datasets.create', {
      name: 'crash',
      filename: 'train.csv',
      sizeBytes: content.length,
      sha256,
    })
    const put = await fetch(created.uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_KEY}` }, body: content })
    expect(put.status).toBe(200)
    const exited = once(doomed.child, 'exit')
    const attempt = await trpc(url, 'deployments.create', {
      name: 'crash-test',
      datasetId: created.dataset.id,
      gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
      trainCommand: 'python3 train.py',
      files: [{ path: 'train.py', content: TRAINER_PY }],
      keepAliveSeconds: 1,
    }).catch((error: unknown) => error)
    expect(attempt).toBeInstanceOf(Error) // the connection died with the process
    // tsx runs the server in a child node process and exits with its fate: 128 + SIGKILL's 9.
    const [code, signal] = await exited
    expect(signal === 'SIGKILL' || code === 137).toBe(true)

    // The pod exists on the provider; the database never learned its id.
    const pods = sim.pods().filter((pod) => pod.name.startsWith('podlaunch-'))
    expect(pods).toHaveLength(1)
    const pod = pods[0]!
    const deploymentId = pod.name.slice('podlaunch-'.length)

    // 2. The same server again, as `pnpm start` runs it, with a short grace and interval.
    const restarted = startProcess(MAIN, { ...env, PODLAUNCH_PENDING_GRACE_SECONDS: '1', PODLAUNCH_RECONCILE_INTERVAL_SECONDS: '1' })
    await restarted.ready

    // Adopted (the pod id is recorded) or failed; either way its pod ends up terminated.
    const finished = await waitFor(
      async () => {
        const view = await trpc<DeploymentView>(url, 'deployments.get', { id: deploymentId }, 'GET')
        return view.podTerminatedAt && ['succeeded', 'failed'].includes(view.status) ? view : undefined
      },
      60_000,
      'the deployment to finish and its pod to be terminated',
    )
    const events = await trpc<{ kind: string }[]>(url, 'deployments.events', { id: deploymentId }, 'GET')
    const kinds = events.map((event) => event.kind)
    if (finished.status === 'succeeded') {
      expect(finished.providerPodId).toBe(pod.id)
      expect(kinds).toContain('adopted')
    } else {
      expect(kinds.some((kind) => kind === 'adopted' || kind === 'orphan' || kind === 'status')).toBe(true)
    }
    await waitFor(async () => (sim.pod(pod.id)?.status === 'TERMINATED' ? true : undefined), 10_000, 'the sim pod to be terminated')
    expect(sim.billing(pod.id).terminatedAt).not.toBeNull()
    // Nothing on the provider runs for a deployment that is not live.
    expect(sim.pods().filter((candidate) => candidate.status !== 'TERMINATED')).toEqual([])

    restarted.child.kill('SIGTERM')
    await once(restarted.child, 'exit')
  }, 120_000)
})

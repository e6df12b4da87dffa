import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startRunpodSim, validateCreatePodBody } from '@podlaunch/runpod-sim'
import type { RunpodSim } from '@podlaunch/runpod-sim'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createRunpodProvider } from './runpod.ts'
import type { RunpodProviderOptions } from './runpod.ts'
import type { FetchFn } from './runpod-http.ts'
import { ProviderError } from './types.ts'
import type { CreatePodRequest, Provider } from './types.ts'

const H100 = 'NVIDIA H100 80GB HBM3'
const A100 = 'NVIDIA A100 80GB PCIe'
const RTX4090 = 'NVIDIA GeForce RTX 4090'
const SECRET_URL = 'https://podlaunch.example/v1/datasets/download?token=eyJhbGciOiJFZERTQSJ9.secret-part'
const SECRET_TOKEN = 'pod-token-0123456789abcdef'

let sim: RunpodSim
/** Set by tests that make the provider send a body on purpose outside the contract. */
let skipBodyCheck = false

beforeAll(async () => {
  sim = await startRunpodSim({
    provisioningMs: 10,
    startingMs: 10,
    restartDelayMs: 5000,
    killGraceMs: 100,
    podEnv: (pod) => ({ PODLAUNCH_WORKDIR: join(pod.dir, 'workspace') }),
  })
})

afterAll(async () => {
  await sim.close()
})

beforeEach(() => {
  Object.assign(sim.faults, {
    noCapacity: [],
    rateLimit: null,
    serverErrors: 0,
    latencyMs: 0,
    forbiddenGpus: [],
    insufficientBalance: false,
  })
  sim.createRequests.length = 0
  skipBodyCheck = false
})

afterEach(async () => {
  Object.assign(sim.faults, { rateLimit: null, serverErrors: 0, insufficientBalance: false })
  const cleanup = provider()
  await Promise.all((await cleanup.listPods('')).map((pod) => cleanup.terminatePod(pod.podId)))
  expect(sim.pods().filter((pod) => pod.running)).toEqual([])
  if (!skipBodyCheck) {
    for (const body of sim.createRequests) expect(validateCreatePodBody(body)).toMatchObject({ valid: true })
  }
})

interface Recorder {
  sleeps: number[]
  calls: { method: string; url: string }[]
}

function provider(overrides: Partial<RunpodProviderOptions> = {}, recorder?: Recorder): Provider {
  const realFetch = overrides.fetch ?? ((input, init) => fetch(input, init))
  return createRunpodProvider({
    apiKey: sim.apiKey,
    baseUrl: sim.url,
    backoffBaseMs: 1,
    ...overrides,
    fetch: (input, init) => {
      recorder?.calls.push({ method: init.method ?? 'GET', url: input })
      return realFetch(input, init)
    },
    sleep: async (ms) => {
      recorder?.sleeps.push(ms)
    },
  })
}

function recorder(): Recorder {
  return { sleeps: [], calls: [] }
}

function request(deploymentId: string, overrides: Partial<CreatePodRequest> = {}): CreatePodRequest {
  return {
    deploymentId,
    image: 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2204',
    gpu: { types: [RTX4090], count: 1 },
    env: { PODLAUNCH_X: SECRET_URL, PODLAUNCH_POD_TOKEN: SECRET_TOKEN },
    script: 'echo "$PODLAUNCH_X" > "$PODLAUNCH_WORKDIR/marker"; sleep 1000',
    ...overrides,
  }
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ProviderError)
  const providerError = error as ProviderError
  for (const secret of [sim.apiKey, SECRET_URL, SECRET_TOKEN, 'sleep 1000']) {
    expect(providerError.message).not.toContain(secret)
    expect(providerError.detail ?? '').not.toContain(secret)
  }
  return providerError
}

async function waitForFile(path: string): Promise<string> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8')
      if (text.endsWith('\n')) return text
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`no file ${path}`)
}

describe('runpod provider against runpod-sim', () => {
  it('creates a pod that runs the decoded script with the env', async () => {
    const pod = await provider().createPod(request('dep-run', { diskGb: 40, cloud: 'COMMUNITY' }))
    expect(pod).toMatchObject({ name: 'podlaunch-dep-run', status: 'provisioning', gpuType: RTX4090 })
    const info = sim.pod(pod.podId)
    expect(await waitForFile(join(info?.dir ?? '', 'workspace', 'marker'))).toBe(`${SECRET_URL}\n`)
    const body = sim.createRequests[0] as Record<string, unknown>
    expect(body).toMatchObject({ name: 'podlaunch-dep-run', gpu: { id: RTX4090, count: 1 }, cloud: 'COMMUNITY', disk: 40 })
    expect(body['env']).toEqual(request('x').env)
    expect(JSON.stringify(body)).not.toContain(sim.apiKey)
    const running = await provider().getPod(pod.podId)
    expect(running).toMatchObject({ status: 'running', gpuType: RTX4090 })
    expect(running?.costPerHr).toBeGreaterThan(0)
  })

  it('walks to the next GPU type when the first has no capacity or is forbidden', async () => {
    sim.faults.noCapacity = [H100]
    sim.faults.forbiddenGpus = [A100]
    const pod = await provider().createPod(request('dep-walk', { gpu: { types: [H100, A100, RTX4090], count: 2 } }))
    expect(pod.gpuType).toBe(RTX4090)
    expect(sim.createRequests.map((body) => (body as { gpu: { id: string; count: number } }).gpu)).toEqual([
      { id: H100, count: 2 },
      { id: A100, count: 2 },
      { id: RTX4090, count: 2 },
    ])
  })

  it('answers no_capacity naming each candidate when none can be placed', async () => {
    sim.faults.noCapacity = [H100, RTX4090]
    sim.faults.forbiddenGpus = [A100]
    const error = await failure(provider().createPod(request('dep-none', { gpu: { types: [H100, A100, RTX4090], count: 1 } })))
    expect(error.code).toBe('no_capacity')
    expect(error.reason).toBe('no_capacity')
    expect(error.attempts.map((a) => [a.gpuType, a.status])).toEqual([
      [H100, 400],
      [A100, 403],
      [RTX4090, 400],
    ])
    for (const gpu of [H100, A100, RTX4090]) expect(error.message).toContain(gpu)
    for (const attempt of error.attempts) expect(error.message).toContain(attempt.detail)
    expect(error.attempts[0]?.detail).toMatch(/instances available|does not have the resources|not enough free GPUs/)
    expect(sim.pods().filter((pod) => pod.name === 'podlaunch-dep-none')).toEqual([])
  })

  it('waits out a 429 for Retry-After seconds, capped', async () => {
    const rec = recorder()
    sim.faults.rateLimit = { count: 1, retryAfterSeconds: 7 }
    await provider({}, rec).createPod(request('dep-429'))
    expect(rec.sleeps).toEqual([7000])
    expect(sim.createRequests).toHaveLength(2)

    const capped = recorder()
    sim.faults.rateLimit = { count: 2, retryAfterSeconds: 3600 }
    expect(await provider({ maxRetryAfterSeconds: 60 }, capped).listPods('podlaunch-')).toHaveLength(1)
    expect(capped.sleeps).toEqual([60_000, 60_000])
  })

  it('gives up with rate_limited once the retries are used up', async () => {
    const rec = recorder()
    sim.faults.rateLimit = { count: 10, retryAfterSeconds: 1 }
    const error = await failure(provider({ maxRetries: 2 }, rec).getPod('nope'))
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, reason: 'provider_error' })
    expect(rec.calls).toHaveLength(3)
  })

  it('retries 5xx with exponential backoff, checking for a hidden pod before each new create', async () => {
    const rec = recorder()
    sim.faults.serverErrors = 2 // the create, then the name check
    const pod = await provider({ backoffBaseMs: 10 }, rec).createPod(request('dep-500'))
    expect(rec.calls.map((c) => c.method)).toEqual(['POST', 'GET', 'GET', 'POST'])
    expect(rec.sleeps).toEqual([10, 10])
    expect(sim.createRequests).toHaveLength(2)
    expect(
      sim
        .pods()
        .filter((p) => p.name === 'podlaunch-dep-500')
        .map((p) => p.id),
    ).toEqual([pod.podId])
  })

  it('adopts the pod a lost create answer hid instead of creating a second one', async () => {
    let dropped = false
    const dropFirstCreate: FetchFn = async (input, init) => {
      const res = await fetch(input, init)
      if (init.method === 'POST' && !dropped) {
        dropped = true
        return new Response('<html>bad gateway</html>', { status: 502 })
      }
      return res
    }
    const pod = await provider({ fetch: dropFirstCreate }).createPod(request('dep-lost'))
    expect(sim.createRequests).toHaveLength(1)
    expect(
      sim
        .pods()
        .filter((p) => p.name === 'podlaunch-dep-lost')
        .map((p) => p.id),
    ).toEqual([pod.podId])
  })

  const refusals: [string, Partial<RunpodProviderOptions>, () => void, number][] = [
    ['401 (bad key)', { apiKey: 'rpa_wrong-key-1234567890' }, () => {}, 401],
    ['402 (balance)', {}, () => void (sim.faults.insufficientBalance = true), 402],
  ]
  it.each(refusals)('fails at once on %s with provider_error', async (_label, overrides, arrange, status) => {
    arrange()
    const rec = recorder()
    const error = await failure(provider(overrides, rec).createPod(request('dep-4xx', { gpu: { types: [H100, RTX4090], count: 1 } })))
    expect(error).toMatchObject({ code: 'provider_error', status })
    expect(rec.calls).toHaveLength(1)
    expect(error.message).not.toContain('rpa_wrong-key-1234567890')
  })

  it('fails at once on a 422 contract error and says what RunPod said', async () => {
    skipBodyCheck = true
    const rec = recorder()
    const error = await failure(provider({}, rec).createPod(request('dep-422', { diskGb: 0 })))
    expect(error).toMatchObject({ code: 'provider_error', status: 422 })
    expect(error.message).toContain('Request validation failed.')
    expect(rec.calls).toHaveLength(1)
  })

  it('redacts secrets RunPod echoes back in a detail', async () => {
    const echo: FetchFn = async (_input, init) => {
      const body = JSON.parse(String(init.body)) as { env: Record<string, string> }
      const detail = `bad env value ${body.env['PODLAUNCH_X']} with key ${sim.apiKey}`
      return new Response(JSON.stringify({ title: 'Bad Request', status: 400, detail }), { status: 400 })
    }
    const error = await failure(provider({ fetch: echo }).createPod(request('dep-echo')))
    expect(error.code).toBe('provider_error')
    expect(error.message).toContain('[REDACTED]')
  })

  it('retries network errors and then gives up with provider_error', async () => {
    const rec = recorder()
    const refused: FetchFn = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    }
    const error = await failure(provider({ fetch: refused, maxRetries: 3 }, rec).listPods('podlaunch-'))
    expect(error).toMatchObject({ code: 'provider_error' })
    expect(error.message).toContain('ECONNREFUSED')
    expect(rec.calls).toHaveLength(4)
    expect(rec.sleeps).toEqual([1, 2, 4])
  })

  it('stops waiting when the caller aborts', async () => {
    sim.faults.rateLimit = { count: 1, retryAfterSeconds: 30 }
    const controller = new AbortController()
    const slow = createRunpodProvider({ apiKey: sim.apiKey, baseUrl: sim.url, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) })
    const pending = slow.createPod(request('dep-abort'), { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect(await failure(pending)).toMatchObject({ code: 'aborted' })
  })

  it('refuses a script too large for args before sending anything', async () => {
    const rec = recorder()
    const error = await failure(provider({}, rec).createPod(request('dep-big', { script: `# ${'x'.repeat(100_000)}\n` })))
    expect(error.code).toBe('invalid_request')
    expect(rec.calls).toEqual([])
  })

  it('terminates with DELETE, idempotently, and then the pod is gone', async () => {
    const rec = recorder()
    const runpod = provider({}, rec)
    const pod = await runpod.createPod(request('dep-term'))
    await waitForFile(join(sim.pod(pod.podId)?.dir ?? '', 'workspace', 'marker'))
    sim.faults.serverErrors = 1
    await runpod.terminatePod(pod.podId)
    expect(sim.pod(pod.podId)).toMatchObject({ status: 'TERMINATED', running: false })
    expect(await runpod.getPod(pod.podId)).toBeUndefined()
    await runpod.terminatePod(pod.podId)
    expect(rec.calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(Array(3).fill(`${sim.url}/pods/${pod.podId}`))
  })

  it('lists pods by name prefix', async () => {
    const runpod = provider()
    const a = await runpod.createPod(request('list-a'))
    const b = await runpod.createPod(request('list-b'))
    const other = await fetch(`${sim.url}/pods`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'someone-else', image: 'x', gpu: { id: RTX4090, count: 1 } }),
    })
    expect(other.status).toBe(201)
    expect((await runpod.listPods('podlaunch-')).map((p) => p.podId).sort()).toEqual([a.podId, b.podId].sort())
    expect((await runpod.listPods('podlaunch-list-a')).map((p) => p.name)).toEqual(['podlaunch-list-a'])
    expect(await runpod.listPods('podlaunch-nothing')).toEqual([])
  })
})

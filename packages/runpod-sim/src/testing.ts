// Helpers for this package's tests (not exported from the package).
import type { RunpodSim } from './types.ts'

export interface ApiResponse {
  status: number
  headers: Headers
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  text: string
}

export async function call(
  sim: RunpodSim,
  method: string,
  path: string,
  body?: unknown,
  apiKey: string | null = sim.apiKey,
): Promise<ApiResponse> {
  const headers: Record<string, string> = {}
  if (apiKey !== null) headers['authorization'] = `Bearer ${apiKey}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const base = path.startsWith('/_sim/') ? sim.origin : sim.url
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown = undefined
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, body: parsed, text }
}

/** The create body of RUNPOD.md, with a command that writes the pod id into its directory. */
export function exampleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'podlaunch-dep1',
    image: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
    gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1, allowedCudaVersions: ['12.4'] },
    cloud: 'SECURE',
    dataCenterIds: ['US-TX-3'],
    disk: 50,
    mounts: { persistent: { size: 20, path: '/workspace' } },
    ports: ['22/tcp'],
    env: { PODLAUNCH_DEPLOYMENT_ID: 'dep1' },
    args: 'sleep 30',
    startSsh: false,
    startJupyter: false,
    ...overrides,
  }
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 3000,
  label = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`)
    await sleep(10)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Fast lifecycle timings for tests. */
export const FAST = { provisioningMs: 20, startingMs: 20, restartDelayMs: 50, killGraceMs: 200 } as const

/** Creates a pod and waits until its process runs; returns the pod id. */
export async function runningPod(sim: RunpodSim, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call(sim, 'POST', '/pods', exampleBody(overrides))
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`)
  const id = res.body.id as string
  await waitFor(() => sim.pod(id)?.running, 3000, `pod ${id} running`)
  return id
}

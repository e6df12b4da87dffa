import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFaultPlan } from './faults.ts'
import { createRequestHandler } from './http-api.ts'
import { newApiKey } from './ids.ts'
import { PodManager } from './pod-manager.ts'
import type { PodRecord } from './pod-record.ts'
import { billingOf } from './pod-record.ts'
import { DEFAULT_DATA_CENTERS, DEFAULT_GPU_PRICE, DEFAULT_GPU_PRICES } from './pricing.ts'
import { RateLimitMeter } from './rate-limit.ts'
import type { Clock, RunpodSim, RunpodSimOptions } from './types.ts'

const systemClock: Clock = { now: () => Date.now() }

/** Docker's default PATH, which RunPod's images inherit: where a pod finds bash, curl, python3. */
export const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** Starts a RunPod REST v2 simulator on `host:port` (default 127.0.0.1, any free port). */
export async function startRunpodSim(options: RunpodSimOptions = {}): Promise<RunpodSim> {
  const clock = options.clock ?? systemClock
  const apiKey = options.apiKey ?? newApiKey()
  const ownsWorkRoot = options.workRoot === undefined
  const workRoot = options.workRoot ?? mkdtempSync(join(tmpdir(), 'runpod-sim-'))
  mkdirSync(workRoot, { recursive: true })
  const manager = new PodManager({
    clock,
    workRoot,
    provisioningMs: options.provisioningMs ?? 50,
    startingMs: options.startingMs ?? 50,
    restartDelayMs: options.restartDelayMs ?? 200,
    killGraceMs: options.killGraceMs ?? 500,
    prices: {
      gpuPrices: { ...DEFAULT_GPU_PRICES, ...options.gpuPrices },
      defaultGpuPrice: options.defaultGpuPrice ?? DEFAULT_GPU_PRICE,
    },
    hostEnv: options.hostEnv ?? { PATH: CONTAINER_PATH },
    podEnv: options.podEnv,
  })
  const faults = createFaultPlan(options.faults)
  const createRequests: unknown[] = []
  const server = createServer(
    createRequestHandler({
      apiKey,
      clock,
      manager,
      faults,
      meter: new RateLimitMeter(clock),
      createRequests,
      dataCenters: options.dataCenters === undefined ? DEFAULT_DATA_CENTERS : options.dataCenters,
      capacityRotation: { next: 0 },
    }),
  )
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  const find = (id: string): PodRecord => {
    const pod = manager.record(id)
    if (pod === undefined) throw new Error(`runpod-sim: no pod ${id}`)
    return pod
  }
  let closed: Promise<void> | undefined

  return {
    url: `${origin}/v2`,
    origin,
    apiKey,
    workRoot,
    faults,
    createRequests,
    pods: () => manager.all().map((pod) => manager.info(pod)),
    pod: (id) => {
      const pod = manager.record(id)
      return pod === undefined ? undefined : manager.info(pod)
    },
    billing: (id) => billingOf(find(id), clock.now()),
    killPod: (id, killOptions) => manager.kill(find(id), killOptions?.restart !== false),
    silencePod: (id) => manager.silence(find(id)),
    resumePod: (id) => manager.resume(find(id)),
    close: () => {
      closed ??= (async () => {
        await manager.shutdown()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        if (ownsWorkRoot && options.keepWorkRoot !== true) rmSync(workRoot, { recursive: true, force: true })
      })()
      return closed
    },
  }
}

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { CreatePodBody } from './create-rules.ts'
import { newApiKey, newHostSuffix, newPodId } from './ids.ts'
import { podProcessEnv } from './pod-env.ts'
import { spawnPodProcess } from './pod-process.ts'
import { accrue, actionsFor, infoOf } from './pod-record.ts'
import type { PodRecord } from './pod-record.ts'
import { pricePerHour } from './pricing.ts'
import type { PriceTable } from './pricing.ts'
import type { Clock, PodAction, PodStatus, SimPodInfo } from './types.ts'

export interface PodManagerConfig {
  clock: Clock
  workRoot: string
  provisioningMs: number
  startingMs: number
  restartDelayMs: number
  killGraceMs: number
  prices: PriceTable
  /** PATH and HOME of the host, passed through to pod processes. */
  hostEnv: Record<string, string>
  podEnv?: ((pod: SimPodInfo) => Record<string, string>) | undefined
}

export class ActionConflictError extends Error {}

/** Owns every pod's state, timers and process; the HTTP layer only translates. */
export class PodManager {
  readonly #config: PodManagerConfig
  readonly #pods = new Map<string, PodRecord>()

  constructor(config: PodManagerConfig) {
    this.#config = config
  }

  create(body: CreatePodBody, dataCenterId: string): PodRecord {
    const now = this.#config.clock.now()
    const id = newPodId()
    const dir = join(this.#config.workRoot, id)
    mkdirSync(dir, { recursive: true })
    const gpu = body.gpu ? { id: body.gpu.id, count: body.gpu.count ?? 1 } : null
    const cpu = body.cpu ? { id: body.cpu.id, vcpuCount: body.cpu.vcpuCount } : null
    const cuda = body.gpu?.allowedCudaVersions?.[0] ?? body.gpu?.minCudaVersion ?? '12.8'
    const pod: PodRecord = {
      id,
      name: body.name,
      image: body.image ?? '',
      args: body.args ?? '',
      disk: body.disk ?? 50,
      env: { ...body.env },
      ports: [...(body.ports ?? [])],
      registry: body.registry ?? null,
      cloud: body.cloud ?? 'SECURE',
      dataCenterId,
      cudaVersion: gpu ? cuda : null,
      gpu,
      cpu,
      mounts: { ...body.mounts },
      globalNetworking: body.globalNetworking ?? false,
      podApiKey: newApiKey(),
      hostname: `${id}-${newHostSuffix()}`,
      dir,
      logPath: join(dir, 'container.log'),
      status: 'PROVISIONING',
      createdAt: now,
      startedAt: null,
      terminatedAt: null,
      pricePerHour: pricePerHour(this.#config.prices, { gpu, cpu }),
      bill: { billedMs: 0, usd: 0, since: now },
      process: null,
      processStartedAt: null,
      controlledStop: false,
      silenced: false,
      starts: 0,
      exits: [],
      timers: new Set(),
    }
    this.#pods.set(id, pod)
    this.#schedule(pod, this.#config.provisioningMs, () => this.#boot(pod))
    return pod
  }

  /** Any pod ever created, terminated ones included. */
  record(id: string): PodRecord | undefined {
    return this.#pods.get(id)
  }

  /** A pod the API still shows (not terminated). */
  visible(id: string): PodRecord | undefined {
    const pod = this.#pods.get(id)
    return pod !== undefined && pod.status !== 'TERMINATED' ? pod : undefined
  }

  all(): PodRecord[] {
    return [...this.#pods.values()]
  }

  async act(pod: PodRecord, action: PodAction): Promise<void> {
    if (!actionsFor(pod.status).includes(action)) {
      throw new ActionConflictError(`Action '${action}' is not valid for a pod in status ${pod.status}.`)
    }
    if (action === 'terminate') return this.terminate(pod)
    if (action === 'stop') {
      this.#setStatus(pod, 'EXITED')
      return this.#stopProcess(pod)
    }
    if (action === 'start') {
      this.#setStatus(pod, 'PROVISIONING')
      this.#boot(pod)
      return
    }
    await this.#stopProcess(pod)
    if (pod.status === 'RUNNING') this.#spawn(pod)
  }

  async terminate(pod: PodRecord): Promise<void> {
    this.#setStatus(pod, 'TERMINATED')
    pod.terminatedAt = this.#config.clock.now()
    await this.#stopProcess(pod)
  }

  /** restart: a crash, started again after the restart delay; otherwise a dead host (ERROR). */
  async kill(pod: PodRecord, restart: boolean): Promise<void> {
    if (pod.status === 'TERMINATED') return
    if (!restart) {
      this.#clearTimers(pod)
      this.#setStatus(pod, 'ERROR')
    }
    const proc = pod.process
    if (proc === null) return
    proc.signal('SIGKILL')
    await proc.exited
  }

  silence(pod: PodRecord): void {
    if (pod.process === null) throw new Error(`pod ${pod.id} has no running process to silence`)
    pod.process.signal('SIGSTOP')
    pod.silenced = true
  }

  resume(pod: PodRecord): void {
    pod.process?.signal('SIGCONT')
    pod.silenced = false
  }

  info(pod: PodRecord): SimPodInfo {
    return infoOf(pod, this.#config.clock.now())
  }

  /** Stops every process (quickly) and every timer; pod records stay for inspection. */
  async shutdown(): Promise<void> {
    await Promise.all(
      this.all().map(async (pod) => {
        this.#clearTimers(pod)
        const proc = pod.process
        if (proc === null) return
        pod.controlledStop = true
        await proc.stop(Math.min(this.#config.killGraceMs, 200))
      }),
    )
  }

  #boot(pod: PodRecord): void {
    if (pod.status !== 'PROVISIONING') return
    this.#setStatus(pod, 'STARTING')
    this.#schedule(pod, this.#config.startingMs, () => {
      if (pod.status !== 'STARTING') return
      this.#setStatus(pod, 'RUNNING')
      pod.startedAt = this.#config.clock.now()
      this.#spawn(pod)
    })
  }

  #spawn(pod: PodRecord): void {
    mkdirSync(pod.dir, { recursive: true })
    // An image's default command ends in `sleep infinity`; with no args the pod just idles.
    const command = pod.args.trim() === '' ? 'exec sleep infinity' : pod.args
    const proc = spawnPodProcess({ command, cwd: pod.dir, env: this.#envFor(pod), logPath: pod.logPath })
    pod.process = proc
    pod.processStartedAt = this.#config.clock.now()
    pod.starts += 1
    pod.silenced = false
    void proc.exited.then((exit) => {
      pod.exits.push({ ...exit, at: this.#config.clock.now() })
      if (pod.process === proc) pod.process = null
      if (pod.controlledStop || pod.status !== 'RUNNING') return
      // RunPod restarts a container whose main process exits; the pod stays RUNNING and bills.
      this.#schedule(pod, this.#config.restartDelayMs, () => {
        if (pod.status === 'RUNNING' && pod.process === null) this.#spawn(pod)
      })
    })
  }

  #envFor(pod: PodRecord): Record<string, string> {
    const extra = this.#config.podEnv?.(this.info(pod)) ?? {}
    return podProcessEnv(pod, this.#config.hostEnv, extra)
  }

  async #stopProcess(pod: PodRecord): Promise<void> {
    this.#clearTimers(pod)
    const proc = pod.process
    if (proc === null) return
    pod.controlledStop = true
    try {
      await proc.stop(this.#config.killGraceMs)
    } finally {
      pod.controlledStop = false
    }
  }

  #setStatus(pod: PodRecord, status: PodStatus): void {
    accrue(pod, this.#config.clock.now())
    pod.status = status
  }

  #schedule(pod: PodRecord, ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      pod.timers.delete(timer)
      fn()
    }, ms)
    pod.timers.add(timer)
  }

  #clearTimers(pod: PodRecord): void {
    for (const timer of pod.timers) clearTimeout(timer)
    pod.timers.clear()
  }
}

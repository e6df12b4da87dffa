import type { PodProcess } from './pod-process.ts'
import { billsIn } from './pricing.ts'
import type { PodAction, PodStatus, SimBilling, SimPodInfo, SimProcessExit } from './types.ts'

/** The simulator's mutable state for one pod. */
export interface PodRecord {
  id: string
  name: string
  image: string
  args: string
  disk: number
  env: Record<string, string>
  ports: string[]
  registry: string | null
  cloud: 'SECURE' | 'COMMUNITY'
  dataCenterId: string
  cudaVersion: string | null
  gpu: { id: string; count: number } | null
  cpu: { id: string; vcpuCount: number } | null
  mounts: Record<string, unknown>
  globalNetworking: boolean
  podApiKey: string
  hostname: string
  dir: string
  logPath: string
  status: PodStatus
  createdAt: number
  startedAt: number | null
  terminatedAt: number | null
  pricePerHour: number
  bill: { billedMs: number; usd: number; since: number }
  process: PodProcess | null
  processStartedAt: number | null
  /** Set while the simulator itself stops the process, so its exit is not a crash. */
  controlledStop: boolean
  silenced: boolean
  starts: number
  exits: SimProcessExit[]
  timers: Set<NodeJS.Timeout>
}

const ACTIONS: Record<PodStatus, PodAction[]> = {
  PROVISIONING: ['stop', 'terminate'],
  STARTING: ['stop', 'terminate'],
  RUNNING: ['stop', 'restart', 'terminate'],
  EXITED: ['start', 'terminate'],
  ERROR: ['start', 'terminate'],
  TERMINATED: [],
}

export function actionsFor(status: PodStatus): PodAction[] {
  return [...ACTIONS[status]]
}

/** Brings the bill up to `now`; call before every status change and every read. */
export function accrue(pod: PodRecord, now: number): void {
  const elapsed = Math.max(0, now - pod.bill.since)
  if (billsIn(pod.status)) {
    pod.bill.billedMs += elapsed
    pod.bill.usd += (pod.pricePerHour * elapsed) / 3_600_000
  }
  pod.bill.since = Math.max(pod.bill.since, now)
}

export function billingOf(pod: PodRecord, now: number): SimBilling {
  if (pod.status !== 'TERMINATED') accrue(pod, now)
  return {
    seconds: pod.bill.billedMs / 1000,
    usd: Math.round(pod.bill.usd * 1e6) / 1e6,
    pricePerHour: pod.pricePerHour,
    terminatedAt: pod.terminatedAt,
  }
}

export function infoOf(pod: PodRecord, now: number): SimPodInfo {
  const running = pod.process !== null && !pod.process.hasExited()
  return {
    id: pod.id,
    name: pod.name,
    status: pod.status,
    gpu: pod.gpu === null ? null : { ...pod.gpu },
    cpu: pod.cpu === null ? null : { ...pod.cpu },
    dataCenterId: pod.dataCenterId,
    cudaVersion: pod.cudaVersion,
    args: pod.args,
    env: { ...pod.env },
    podApiKey: pod.podApiKey,
    dir: pod.dir,
    logPath: pod.logPath,
    createdAt: pod.createdAt,
    startedAt: pod.startedAt,
    terminatedAt: pod.terminatedAt,
    pid: running && pod.process !== null ? pod.process.pid : null,
    running,
    silenced: pod.silenced,
    restarts: Math.max(0, pod.starts - 1),
    exits: pod.exits.map((exit) => ({ ...exit })),
    billing: billingOf(pod, now),
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * The pod as the REST v2 API shows it, with the field names of the document's `Pod` schema.
 * `env` is deliberately left out: the document lists it, but a simulator must not teach
 * callers to read secrets back from the API.
 */
export function apiViewOf(pod: PodRecord, now: number): Record<string, unknown> {
  const live = pod.status === 'RUNNING' && pod.process !== null && !pod.process.hasExited()
  const hasHost = pod.status !== 'PROVISIONING'
  const view: Record<string, unknown> = {
    id: pod.id,
    name: pod.name,
    image: pod.image,
    args: pod.args,
    disk: pod.disk,
    ports: [...pod.ports],
    registry: pod.registry,
    status: pod.status,
    actions: actionsFor(pod.status),
    mounts: pod.mounts,
    cloud: pod.cloud,
    dataCenterId: hasHost ? pod.dataCenterId : null,
    cudaVersion: hasHost ? pod.cudaVersion : null,
    ssh: {
      proxy: hasHost ? { host: 'ssh.runpod.io', port: 22, username: pod.hostname, command: `ssh ${pod.hostname}@ssh.runpod.io` } : null,
      direct: null,
    },
    template: null,
    cost: billsIn(pod.status) ? pod.pricePerHour : 0.0,
    locked: false,
    globalNetworking: { enabled: pod.globalNetworking },
    runtime: live ? runtimeOf(pod, now) : null,
    createdAt: iso(pod.createdAt),
    startedAt: iso(pod.startedAt),
  }
  if (pod.gpu !== null) view['gpu'] = { ...pod.gpu }
  if (pod.cpu !== null) view['cpu'] = { ...pod.cpu }
  return view
}

function runtimeOf(pod: PodRecord, now: number): Record<string, unknown> {
  return {
    uptime: Math.max(0, Math.floor((now - (pod.processStartedAt ?? now)) / 1000)),
    gpus: Array.from({ length: pod.gpu?.count ?? 0 }, () => ({ util: 0, memoryUtil: 0 })),
    cpu: { util: 0 },
    memory: { util: 0 },
    ports: pod.ports.map((spec, index) => {
      const [port, type] = spec.split('/')
      const privatePort = Number(port)
      return {
        ip: type === 'tcp' ? '127.0.0.1' : null,
        private: privatePort,
        public: type === 'tcp' ? 40000 + index : null,
        type: type ?? 'tcp',
      }
    }),
  }
}

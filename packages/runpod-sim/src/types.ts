/** Milliseconds since the epoch; injected so tests can drive billing and timestamps. */
export interface Clock {
  now(): number
}

export type PodStatus = 'PROVISIONING' | 'STARTING' | 'RUNNING' | 'EXITED' | 'ERROR' | 'TERMINATED'
export type PodAction = 'start' | 'stop' | 'restart' | 'terminate'

/**
 * Faults the simulator injects. The handle exposes the live object: change a field and the
 * next request sees it. Counters (`rateLimit.count`, `serverErrors`) go down as they are used.
 */
export interface FaultPlan {
  /** GPU ids whose creates answer a capacity 400 (the three real wordings, in rotation). */
  noCapacity: string[]
  /** The next `count` authenticated requests answer 429 with `Retry-After`. */
  rateLimit: { count: number; retryAfterSeconds: number } | null
  /** The next N authenticated requests answer 500 "Something went wrong.". */
  serverErrors: number
  /** Added to every API request before it is handled. */
  latencyMs: number
  /** GPU ids whose creates answer 403 (no access to the pool). */
  forbiddenGpus: string[]
  /** Every create answers 402. */
  insufficientBalance: boolean
}

export interface SimProcessExit {
  code: number | null
  signal: string | null
  at: number
}

export interface SimBilling {
  /** Seconds billed so far: time not EXITED, from create until terminate (or now). */
  seconds: number
  usd: number
  /** Cost per hour for this pod's GPUs (or vCPUs) while it bills. */
  pricePerHour: number
  terminatedAt: number | null
}

/** What the handle reports about a pod, terminated ones included (the API hides those). */
export interface SimPodInfo {
  id: string
  name: string
  status: PodStatus
  gpu: { id: string; count: number } | null
  cpu: { id: string; vcpuCount: number } | null
  dataCenterId: string
  cudaVersion: string | null
  args: string
  /** The body's env as sent (the API never echoes it). */
  env: Record<string, string>
  /** The pod-scoped key given to the process as RUNPOD_API_KEY. */
  podApiKey: string
  dir: string
  logPath: string
  createdAt: number
  startedAt: number | null
  terminatedAt: number | null
  /** The current process's id (its process group id too); null when none runs. */
  pid: number | null
  running: boolean
  silenced: boolean
  /** How many times the process was started again after the first start. */
  restarts: number
  exits: SimProcessExit[]
  billing: SimBilling
}

export interface RunpodSimOptions {
  /** Account key expected in `Authorization: Bearer`; default: a random `rpa_…` value. */
  apiKey?: string
  /** Default 0 (any free port). */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Pod directories go under it; default: a fresh temp directory, removed on close. */
  workRoot?: string
  /** Keep a temp work root on close (for inspection). */
  keepWorkRoot?: boolean
  clock?: Clock
  /** PROVISIONING → STARTING, default 50. */
  provisioningMs?: number
  /** STARTING → RUNNING (process started), default 50. */
  startingMs?: number
  /** Delay before an exited process is started again, default 200. */
  restartDelayMs?: number
  /** SIGTERM → SIGKILL grace on terminate/stop, default 500. */
  killGraceMs?: number
  /** USD per hour per GPU, by exact GPU id; merged over the built-in table. */
  gpuPrices?: Record<string, number>
  /** Price per GPU for ids missing from the table, default 1.0. */
  defaultGpuPrice?: number
  /** Accepted data center ids (unknown ids fail the create with 400); null accepts any. */
  dataCenters?: string[] | null
  faults?: Partial<FaultPlan>
  /**
   * What a pod's process starts from, as a container image's ENV would set it; default
   * `{ PATH: CONTAINER_PATH }`. Never read from this process: a pod sees none of the host's
   * variables unless they are passed here (the standalone CLI passes its PATH and HOME).
   */
  hostEnv?: Record<string, string>
  /** Extra environment for a pod's process, e.g. `{ PODLAUNCH_WORKDIR: … }`; wins over all. */
  podEnv?: (pod: SimPodInfo) => Record<string, string>
}

export interface RunpodSim {
  /** Base URL ending in `/v2`, e.g. `http://127.0.0.1:41234/v2`. */
  url: string
  /** `http://host:port`, where `/_sim/…` control routes live. */
  origin: string
  apiKey: string
  workRoot: string
  /** The live fault plan. */
  faults: FaultPlan
  /** Every create body received (after auth), parsed, in order, rejected ones included. */
  createRequests: unknown[]
  pods(): SimPodInfo[]
  pod(id: string): SimPodInfo | undefined
  billing(id: string): SimBilling
  /** Kills the pod's process now: restart true (default) is a crash, false a dead host (ERROR). */
  killPod(id: string, options?: { restart?: boolean }): Promise<void>
  /** SIGSTOPs the pod's process group: still RUNNING and billing, but silent. */
  silencePod(id: string): void
  /** SIGCONTs a silenced pod. */
  resumePod(id: string): void
  /** Kills every pod process and closes the server. */
  close(): Promise<void>
}

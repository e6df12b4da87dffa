import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isGroupAlive, pollUntil, signalGroup } from './process-group.ts'
import { ProviderError, podName } from './types.ts'
import type { CreatePodRequest, Provider, ProviderPod } from './types.ts'

export interface LocalProviderOptions {
  /** Pod work directories go under it (`<rootDir>/<podId>`), e.g. `<dataDir>/pods`. */
  rootDir: string
  /** SIGTERM → SIGKILL grace on terminate, default 5000 ms. */
  graceMs?: number
  /**
   * The host environment a pod starts from, usually `minimalHostEnv(<the app's environment>)`.
   * Never the whole environment: it holds the server's own secrets.
   */
  hostEnv: Record<string, string>
  newPodId?: () => string
}

/** A local pod, with what only a local process can tell. */
export interface LocalPod extends ProviderPod {
  workDir: string
  pid: number
  /** The script's exit code; null while it runs or when a signal ended it. */
  exitCode: number | null
  exitSignal: string | null
}

export interface LocalProvider extends Provider {
  readonly name: 'local'
  createPod(request: CreatePodRequest, options?: { signal?: AbortSignal }): Promise<LocalPod>
  getPod(podId: string): Promise<LocalPod | undefined>
  listPods(namePrefix: string): Promise<LocalPod[]>
  /** Terminates every pod (server shutdown, tests). */
  close(): Promise<void>
}

interface LocalRecord {
  podId: string
  name: string
  workDir: string
  pid: number
  exit: { code: number | null; signal: string | null } | null
  exited: Promise<void>
  terminated: boolean
  terminating: Promise<void> | null
}

/** The last wait for a SIGKILLed group; only a process stuck in the kernel outlasts it. */
const KILL_WAIT_MS = 5000

/** What a local pod takes from the host: PATH, HOME and LANG, nothing else. */
export function minimalHostEnv(source: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of ['PATH', 'HOME', 'LANG']) {
    const value = source[name]
    if (value !== undefined) env[name] = value
  }
  return env
}

/**
 * Runs each pod as `bash <workDir>/bootstrap.sh` in its own process group, with the
 * environment a RunPod pod gets from us. Pods live in memory: after a server restart the
 * provider does not know the old ones (each work directory keeps a pod.json with the pid).
 */
export function createLocalProvider(options: LocalProviderOptions): LocalProvider {
  const graceMs = options.graceMs ?? 5000
  const newPodId = options.newPodId ?? (() => `local-${randomBytes(6).toString('hex')}`)
  const pods = new Map<string, LocalRecord>()

  const view = (pod: LocalRecord): LocalPod => ({
    podId: pod.podId,
    name: pod.name,
    status: pod.terminated ? 'terminated' : pod.exit === null ? 'running' : 'exited',
    gpuType: 'local',
    costPerHr: 0,
    workDir: pod.workDir,
    pid: pod.pid,
    exitCode: pod.exit?.code ?? null,
    exitSignal: pod.exit?.signal ?? null,
  })

  const stop = async (pod: LocalRecord): Promise<void> => {
    // After the script ended by itself its group was already killed (see onExit), and the
    // group id may since belong to someone else: signal nothing.
    if (pod.exit === null) {
      signalGroup(pod.pid, 'SIGTERM')
      signalGroup(pod.pid, 'SIGCONT') // a stopped group must run to act on SIGTERM
      const gone = await pollUntil(() => pod.exit !== null && !isGroupAlive(pod.pid), graceMs, 50)
      if (!gone) signalGroup(pod.pid, 'SIGKILL')
      await pod.exited
      signalGroup(pod.pid, 'SIGKILL') // stragglers that ignored SIGTERM
      if (!(await pollUntil(() => !isGroupAlive(pod.pid), KILL_WAIT_MS))) {
        throw new ProviderError('provider_error', `local pod ${pod.podId}: processes survived SIGKILL`)
      }
    }
    pod.terminated = true
  }

  const terminatePod = async (podId: string): Promise<void> => {
    const pod = pods.get(podId)
    if (pod === undefined) return
    pod.terminating ??= stop(pod).catch((error: unknown) => {
      pod.terminating = null // let a later call try again
      throw error
    })
    return pod.terminating
  }

  return {
    name: 'local',

    async createPod(request, callOptions) {
      if (callOptions?.signal?.aborted) throw new ProviderError('aborted', 'createPod aborted before start')
      const podId = newPodId()
      const name = podName(request.deploymentId)
      const workDir = join(options.rootDir, podId)
      const workspace = join(workDir, 'workspace')
      // 0700: the console log can hold whatever the job prints.
      mkdirSync(workspace, { recursive: true, mode: 0o700 })
      const scriptPath = join(workDir, 'bootstrap.sh')
      writeFileSync(scriptPath, request.script, { mode: 0o600 })
      const env = { ...options.hostEnv, ...request.env, PODLAUNCH_WORKDIR: workspace, PODLAUNCH_POD_ID: podId }
      const log = openSync(join(workDir, 'console.log'), 'a', 0o600)
      let child: ChildProcess
      try {
        child = spawn('bash', [scriptPath], { cwd: workspace, env, detached: true, stdio: ['ignore', log, log] })
      } finally {
        closeSync(log) // the child holds its own copy
      }
      const pod: LocalRecord = {
        podId,
        name,
        workDir,
        pid: child.pid ?? -1,
        exit: null,
        exited: Promise.resolve(),
        terminated: false,
        terminating: null,
      }
      pod.exited = new Promise<void>((resolve) => {
        const onExit = (code: number | null, signal: string | null): void => {
          if (pod.exit !== null) return
          pod.exit = { code, signal }
          // A container's processes die with its main process; so do a local pod's.
          if (pod.pid > 0) signalGroup(pod.pid, 'SIGKILL')
          resolve()
        }
        child.once('exit', onExit)
        child.once('error', () => {
          if (child.pid === undefined) onExit(127, null) // bash could not be started
        })
      })
      pods.set(podId, pod)
      writeFileSync(join(workDir, 'pod.json'), JSON.stringify({ podId, name, pid: pod.pid }), { mode: 0o600 })
      return view(pod)
    },

    async getPod(podId) {
      const pod = pods.get(podId)
      return pod === undefined ? undefined : view(pod)
    },

    terminatePod,

    async listPods(namePrefix) {
      return [...pods.values()].filter((pod) => pod.name.startsWith(namePrefix)).map(view)
    },

    async close() {
      await Promise.all([...pods.keys()].map(terminatePod))
    },
  }
}

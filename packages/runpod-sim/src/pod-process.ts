import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'

export interface PodProcessExit {
  code: number | null
  signal: string | null
}

export interface PodProcess {
  readonly pid: number
  /** Resolves once the process has exited (and was reaped). */
  readonly exited: Promise<PodProcessExit>
  readonly hasExited: () => boolean
  /** Signals the whole process group (bash and everything it started). */
  signal(signal: NodeJS.Signals): void
  /** SIGTERM (with SIGCONT, so a stopped group can act on it), SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<PodProcessExit>
}

export interface SpawnPodProcessOptions {
  command: string
  cwd: string
  env: Record<string, string>
  logPath: string
}

/**
 * Runs `bash -c <command>` in its own process group (detached), stdout and stderr appended to
 * the pod's container log, as a container's main process would run.
 */
export function spawnPodProcess(options: SpawnPodProcessOptions): PodProcess {
  const log = openSync(options.logPath, 'a')
  let child: ChildProcess
  try {
    child = spawn('bash', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', log, log],
    })
  } finally {
    closeSync(log) // the child holds its own copy
  }
  let done = false
  const exited = new Promise<PodProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true
      resolve({ code, signal })
    })
    child.once('error', () => {
      if (child.pid === undefined) {
        done = true
        resolve({ code: 127, signal: null })
      }
    })
  })
  const pid = child.pid ?? -1
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (done || pid <= 0) return
    try {
      process.kill(-pid, signal)
    } catch {
      // The group is already gone.
    }
  }
  return {
    pid,
    exited,
    hasExited: () => done,
    signal: signalGroup,
    async stop(graceMs) {
      if (done) return exited
      signalGroup('SIGTERM')
      signalGroup('SIGCONT')
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs)
      try {
        return await exited
      } finally {
        clearTimeout(timer)
        // Descendants that ignored SIGTERM outlive bash; the group id still reaches them.
        try {
          process.kill(-pid, 'SIGKILL')
        } catch {
          // Nothing left in the group.
        }
      }
    },
  }
}

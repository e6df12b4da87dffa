// Test support for behaviour tests: a loopback events + dataset server and a
// runner that executes generated scripts with real bash in their own process
// group, so afterEach can kill everything a test started. The events server
// holds every batch to the contract's PodBatchSchema and body limit, as the real
// server does, so each behaviour test also shows the server would accept what
// the script sends.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { POD_BATCH_LIMITS, PodBatchSchema } from '@podlaunch/contract'
import { afterAll, afterEach, expect } from 'vitest'
import { buildBootstrapScript } from '../src/index.ts'
import type { BootstrapSpecInput } from '../src/index.ts'

export const POD_TOKEN = 'pod.tok3n-SECRET_value.xyz'

export interface PodEvent {
  type: string
  at: string
  [key: string]: unknown
}

export interface EventsServer {
  origin: string
  datasetUrl: string
  eventsUrl: string
  /** Stored batches, with the size of the body each came in. */
  batches: { seq: number; events: PodEvent[]; bytes: number }[]
  /** Every POST, in arrival order, with the status it got. */
  attempts: { seq: number; status: number }[]
  /** Batches the real server would refuse (over its body limit, or not a PodBatch): none, ever. */
  refused: { status: number; problem: string }[]
  events: () => PodEvent[]
  unauthorized: number
  close: () => Promise<void>
}

export interface ServerOptions {
  dataset: Buffer
  datasetStatus?: number
  /** Status to answer for a batch (default 200); the batch is stored only on 200. */
  respond?: (seq: number, attempt: number) => number
}

export async function startServer(opts: ServerOptions): Promise<EventsServer> {
  const state = { unauthorized: 0 }
  const batches: EventsServer['batches'] = []
  const attempts: EventsServer['attempts'] = []
  const refused: EventsServer['refused'] = []
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/dataset')) {
      const status = opts.datasetStatus ?? 200
      res.writeHead(status, { 'content-length': status === 200 ? opts.dataset.length : 0 })
      res.end(status === 200 ? opts.dataset : undefined)
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${POD_TOKEN}`) {
        state.unauthorized++
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end('{"error":{"code":"UNAUTHORIZED","message":"bad token"}}')
        return
      }
      const raw = Buffer.concat(chunks)
      const problem = refusal(raw)
      if (problem) {
        refused.push(problem)
        refusedAnywhere.push(problem)
        res.writeHead(problem.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { code: 'BAD_REQUEST', message: problem.problem } }))
        return
      }
      const body = { ...(JSON.parse(raw.toString('utf8')) as { seq: number; events: PodEvent[] }), bytes: raw.length }
      const attempt = attempts.filter((a) => a.seq === body.seq).length + 1
      const status = opts.respond?.(body.seq, attempt) ?? 200
      attempts.push({ seq: body.seq, status })
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { code: status === 409 ? 'ILLEGAL_TRANSITION' : 'TEST', message: 'test answer' } }))
        return
      }
      if (!batches.some((b) => b.seq === body.seq)) batches.push(body)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    datasetUrl: `${origin}/dataset?token=download-jwt`,
    eventsUrl: `${origin}/v1/pod/events`,
    batches,
    attempts,
    refused,
    events: () => batches.flatMap((b) => b.events),
    get unauthorized() {
      return state.unauthorized
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const refusedAnywhere: EventsServer['refused'] = []

/** Every refusal since the last call, from every events server this test file started. */
export function takeRefusals(): EventsServer['refused'] {
  return refusedAnywhere.splice(0)
}

function refusal(raw: Buffer): EventsServer['refused'][number] | undefined {
  if (raw.length > POD_BATCH_LIMITS.bytes) return { status: 413, problem: `a body of ${raw.length} bytes` }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw.toString('utf8'))
  } catch {
    return { status: 400, problem: 'the body is not valid JSON' }
  }
  const result = PodBatchSchema.safeParse(parsed)
  if (result.success) return undefined
  const issue = result.error.issues[0]
  return { status: 400, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid batch'}` }
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

// tmpfs when there is one: creating files on this machine's disk costs ~1 ms each.
const TMP_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()

const created: string[] = []

export function tempDir(prefix = 'podlaunch-test-'): string {
  const dir = mkdtempSync(join(TMP_ROOT, prefix))
  created.push(dir)
  return dir
}

/** Removes every folder tempDir made in this test file (call after killAll). */
export function removeTempDirs(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true })
}

/** A PATH holding every tool of the usual bin folders except the ones named. */
export function pathWithout(excluded: string[]): string {
  const dir = tempDir('podlaunch-bin-')
  for (const src of ['/usr/local/bin', '/usr/bin', '/bin']) {
    let names: string[] = []
    try {
      names = readdirSync(src)
    } catch {
      continue
    }
    for (const name of names) {
      if (excluded.includes(name)) continue
      try {
        symlinkSync(join(src, name), join(dir, name))
      } catch {
        // first folder wins, like PATH lookup
      }
    }
  }
  return dir
}

const running = new Set<ChildProcess>()

export interface RunResult {
  code: number | null
  stdout: string
  child: ChildProcess
  workdir: string
}

export interface RunOptions {
  spec: BootstrapSpecInput
  /** Changes the built script before it runs (e.g. to show what drift would do). */
  edit?: (script: string) => string
  server?: EventsServer
  eventsUrl?: string
  dataset?: Buffer
  workdir?: string
  env?: Record<string, string | undefined>
  /** Resolve once stdout matches instead of waiting for exit (wait mode). */
  until?: RegExp
  timeoutMs?: number
}

export function runScript(opts: RunOptions): Promise<RunResult> {
  const workdir = opts.workdir ?? tempDir()
  const scriptPath = join(tempDir('podlaunch-script-'), 'bootstrap.sh')
  const script = buildBootstrapScript(opts.spec)
  writeFileSync(scriptPath, opts.edit ? opts.edit(script) : script)
  const dataset = opts.dataset ?? Buffer.from('')
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    PODLAUNCH_WORKDIR: workdir,
    PODLAUNCH_DATASET_URL: opts.server?.datasetUrl ?? 'http://127.0.0.1:9/dataset',
    PODLAUNCH_DATASET_SHA256: sha256(dataset),
    PODLAUNCH_DATASET_SIZE: String(dataset.length),
    PODLAUNCH_EVENTS_URL: opts.eventsUrl ?? opts.server?.eventsUrl ?? 'http://127.0.0.1:9/events',
    PODLAUNCH_POD_TOKEN: POD_TOKEN,
    PODLAUNCH_DEPLOYMENT_ID: 'dep_test',
    ...opts.env,
  }
  const child = spawn('bash', [scriptPath], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let stdout = ''
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  child.stderr?.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`script did not ${opts.until ? `print ${opts.until}` : 'exit'} in time; output:\n${stdout}`))
    }, opts.timeoutMs ?? 20_000)
    const done = (code: number | null) => {
      clearTimeout(timer)
      resolve({ code, stdout, child, workdir })
    }
    child.on('exit', (code) => {
      running.delete(child)
      // let the last stdout chunks arrive
      setTimeout(() => done(code), 20)
    })
    if (opts.until) {
      const re = opts.until
      child.stdout?.on('data', () => {
        if (re.test(stdout)) done(null)
      })
    }
  })
}

export interface BehaviourTests {
  /** Starts an events server, closed after the file's tests. */
  server: (opts: ServerOptions) => Promise<EventsServer>
  /** Runs `close` after the file's tests (another server the file started). */
  closeLater: (close: () => Promise<void>) => void
}

/**
 * A behaviour-test file's setup, in one call at its top: after each test the processes it
 * started are killed and no batch was refused (the events server refuses what the real one
 * would); after all of them the servers close and the temp folders go.
 */
export function setUpBehaviourTests(): BehaviourTests {
  const closers: (() => Promise<void>)[] = []
  afterEach(() => {
    killAll()
    expect(takeRefusals()).toEqual([])
  })
  afterAll(async () => {
    killAll()
    removeTempDirs()
    await Promise.all(closers.map((close) => close()))
  })
  return {
    server: async (opts) => {
      const s = await startServer(opts)
      closers.push(s.close)
      return s
    },
    closeLater: (close) => closers.push(close),
  }
}

/** Kills every process group a test started (the script, its logger, loops and sleeps). */
export function killAll(): void {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  running.clear()
}

export const FAST = { heartbeatSeconds: 1, shipIntervalSeconds: 1, keepAliveSeconds: 1, onFinish: 'exit' } as const

export const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z /

/** Status values and terminate reasons, in the order the server received them. */
export function timeline(events: PodEvent[]): string[] {
  return events
    .filter((e) => e.type === 'status' || e.type === 'terminate_request' || e.type === 'report')
    .map((e) => `${e.type}:${String(e.status ?? e.reason ?? e.kind)}${e.type === 'status' && e.reason ? `/${String(e.reason)}` : ''}`)
}

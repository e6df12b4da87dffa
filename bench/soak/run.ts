// Soak: 200 deployments on runpod-sim with a fault mix (no capacity, 429, 500, crashed pods,
// dead hosts, training failures, silent pods) and one server restart midway, real bash pods,
// the reconciler every 2 s. Prints what may bill past policy and what may be lost.
// Run from the repository root: npx tsx bench/soak/run.ts [deployments=200] [concurrency=20]
// Uses in-memory PGlite, or Postgres when DATABASE_URL is set (a fresh temp database).
import { once } from 'node:events'
import { readdir, readFile } from 'node:fs/promises'
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { isTerminal } from '@podlaunch/contract'
import { startRunpodSim } from '@podlaunch/runpod-sim'
import { createTestDatabase } from '@podlaunch/db/testing'
import { createRunpodProvider } from '@podlaunch/providers'
import {
  appRouter,
  createCallerFactory,
  createInnerContext,
  createRequestHandler,
  startReconciler,
  type Reconciler,
  type ServerDeps,
} from '@podlaunch/server'
import { createReadyDataset, createTestDeps, createTestUser } from '@podlaunch/server/testing'

const TOTAL = Number(process.argv[2] ?? 200)
const CONCURRENCY = Number(process.argv[3] ?? 20)
const RECONCILE_MS = 2_000
const HEARTBEAT_S = 1
const DEADLINE_MS = 5 * 60_000
const H100 = 'NVIDIA H100 80GB HBM3'
const RTX4090 = 'NVIDIA GeForce RTX 4090'
const TRAIN_OK = 'for i in 1 2 3; do echo "{\\"step\\":$i,\\"loss\\":0.$i}" >> "$PODLAUNCH_METRICS_FILE"; echo "step $i"; sleep 1; done'
const TRAIN_FAIL = 'echo "step 1"; sleep 1; echo "diverged" >&2; exit 3'

type Fault = 'none' | 'training_failure' | 'silent' | 'crash' | 'dead_host'
function faultOf(i: number): Fault {
  if (i % 10 === 3) return 'training_failure'
  if (i % 20 === 7) return 'silent'
  if (i % 25 === 11) return 'crash'
  if (i % 40 === 19) return 'dead_host'
  return 'none'
}

const createCaller = createCallerFactory(appRouter)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What the server acknowledged (200, not a duplicate), seen on the wire between pods and server. */
const acked = new Map<string, string[]>()

/** Pods talk to this proxy, so the server behind it can be restarted on another port. */
async function startProxy(upstreamPort: () => number) {
  const server = createServer((req, res) => {
    const isEvents = req.method === 'POST' && req.url?.startsWith('/v1/pod/events')
    const chunks: Buffer[] = []
    const forward = request(
      { host: '127.0.0.1', port: upstreamPort(), method: req.method, path: req.url, headers: req.headers },
      (upstream: IncomingMessage) => {
        if (!isEvents) {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers)
          upstream.pipe(res)
          return
        }
        const answer: Buffer[] = []
        upstream.on('data', (chunk: Buffer) => answer.push(chunk))
        upstream.on('end', () => {
          const text = Buffer.concat(answer).toString()
          if (upstream.statusCode === 200 && text.includes('"duplicate":false')) record(req, Buffer.concat(chunks).toString())
          res.writeHead(upstream.statusCode ?? 502, upstream.headers)
          res.end(text)
        })
      },
    )
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    if (isEvents) {
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => forward.end(Buffer.concat(chunks)))
    } else req.pipe(forward)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

function record(req: IncomingMessage, body: string) {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}') as { deployment_id?: string }
  const batch = JSON.parse(body) as { events: { type: string; status?: string }[] }
  const id = payload.deployment_id ?? 'unknown'
  const list = acked.get(id) ?? []
  for (const event of batch.events) if (event.type === 'status' && event.status) list.push(event.status)
  acked.set(id, list)
}

async function listen(deps: ServerDeps): Promise<Server> {
  const server = createServer(createRequestHandler(deps))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return server
}

function pct(values: number[], p: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function main() {
  const started = Date.now()
  const database = await createTestDatabase()
  const sim = await startRunpodSim({
    provisioningMs: 200,
    startingMs: 100,
    restartDelayMs: 500,
    killGraceMs: 500,
    faults: { noCapacity: [H100] },
    podEnv: (pod) => ({ PODLAUNCH_WORKDIR: join(pod.dir, 'workspace') }),
  })
  const runpod = createRunpodProvider({ apiKey: sim.apiKey, baseUrl: sim.url, backoffBaseMs: 100, maxRetryAfterSeconds: 2 })
  let upstreamPort = 0
  const proxy = await startProxy(() => upstreamPort)
  const settings = { deployments: { defaultProvider: 'runpod' as const, heartbeatSeconds: HEARTBEAT_S, shipIntervalSeconds: 1 } }

  // Server 1.
  const first = await createTestDeps(database.db, undefined, { publicUrl: proxy.url, ...settings }, { runpod })
  let deps: ServerDeps = first
  let http = await listen(deps)
  upstreamPort = (http.address() as AddressInfo).port
  let reconciler: Reconciler = startReconciler(deps, { intervalMs: RECONCILE_MS })
  const user = await createTestUser(database.db, 'soak')
  const dataset = await createReadyDataset(deps, user.id, 'a,b\n'.repeat(1000), 'train.csv')
  console.log(
    `soak: ${TOTAL} deployments, ${CONCURRENCY} at a time, database ${process.env.DATABASE_URL ? 'Postgres' : 'PGlite'}, reconcile every ${RECONCILE_MS / 1000} s, heartbeat ${HEARTBEAT_S} s`,
  )

  const cleanups: (() => Promise<void>)[] = [first.cleanup]
  let restarting: Promise<void> | undefined
  let restartedAt = 0
  const restart = async () => {
    // Stop server 1 the way a deploy would, then start server 2 on the same database.
    await reconciler.stop()
    http.closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
    await deps.events.close()
    const second = await createTestDeps(database.db, undefined, { publicUrl: proxy.url, ...settings }, { runpod })
    cleanups.push(second.cleanup)
    // Replicas share keys, config and the dataset store.
    second.keyring = first.keyring
    second.config = first.config
    second.store = first.store
    deps = second
    http = await listen(deps)
    upstreamPort = (http.address() as AddressInfo).port
    reconciler = startReconciler(deps, { intervalMs: RECONCILE_MS })
    restartedAt = Date.now()
    console.log(`  server restarted after ${((restartedAt - started) / 1000).toFixed(0)} s`)
  }

  const ids: string[] = []
  const faults = new Map<string, Fault>()
  let next = 0
  let createErrors = 0
  const terminalOrGone = async (id: string) => {
    const row = await database.db.selectFrom('deployments').select(['status', 'pod_terminated_at']).where('id', '=', id).executeTakeFirst()
    return row && isTerminal(row.status) && row.pod_terminated_at !== null
  }
  const worker = async () => {
    while (next < TOTAL && Date.now() - started < DEADLINE_MS) {
      const i = next++
      if (i === Math.floor(TOTAL / 2)) restarting = restart()
      await restarting
      const fault = faultOf(i)
      if (i % 15 === 0) sim.faults.rateLimit = { count: 1, retryAfterSeconds: 1 }
      if (i % 17 === 0) sim.faults.serverErrors += 1
      const caller = createCaller(createInnerContext(deps, { id: user.id, name: 'soak', isAdmin: false, apiKeyId: user.apiKeyId }))
      let id: string
      try {
        const created = await caller.deployments.create({
          name: `soak-${i}`,
          datasetId: dataset.id,
          gpu: { types: i % 10 === 5 ? [H100, RTX4090] : [RTX4090], count: 1 },
          trainCommand: fault === 'training_failure' ? TRAIN_FAIL : TRAIN_OK,
          keepAliveSeconds: 1,
        })
        id = created.id
      } catch (error) {
        createErrors += 1
        console.log(`  create ${i} failed: ${(error as Error).message.slice(0, 200)}`)
        continue
      }
      ids.push(id)
      faults.set(id, fault)
      if (fault === 'silent' || fault === 'crash' || fault === 'dead_host') {
        for (let t = 0; t < 100; t++) {
          const row = await database.db
            .selectFrom('deployments')
            .select(['status', 'provider_pod_id'])
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
          if (row.status === 'training' && row.provider_pod_id) {
            if (fault === 'silent') sim.silencePod(row.provider_pod_id)
            else await sim.killPod(row.provider_pod_id, { restart: fault === 'crash' })
            break
          }
          if (['succeeded', 'failed'].includes(row.status)) break
          await sleep(100)
        }
      }
      while (!(await terminalOrGone(id)) && Date.now() - started < DEADLINE_MS) await sleep(250)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()))
  const ranFor = (Date.now() - started) / 1000

  // Measure.
  const rows = await database.db.selectFrom('deployments').selectAll().execute()
  const nonTerminal = rows.filter((row) => !isTerminal(row.status))
  const now = Date.now()
  const byPod = new Map(rows.filter((row) => row.provider_pod_id).map((row) => [row.provider_pod_id!, row]))
  const pastPolicy = sim.pods().filter((pod) => {
    if (pod.status === 'TERMINATED') return false
    const row = byPod.get(pod.id)
    if (!row) return true
    if (!row.finished_at) return false
    const allowed = (row.status === 'succeeded' ? row.keep_alive_s * 1000 : 0) + RECONCILE_MS + 10_000
    return now - row.finished_at.getTime() > allowed
  })
  const billedAfter: number[] = []
  for (const row of rows) {
    if (!row.provider_pod_id || !row.finished_at) continue
    const billing = sim.billing(row.provider_pod_id)
    const end = billing.terminatedAt ?? now
    billedAfter.push(Math.max(0, end - row.finished_at.getTime()) / 1000)
  }
  const stored = await database.db
    .selectFrom('deployment_events')
    .select(['deployment_id', 'status'])
    .where('kind', '=', 'status')
    .where((eb) => eb(eb.ref('data', '->>').key('source' as never), '=', 'pod'))
    .execute()
  const storedBy = new Map<string, number>()
  for (const event of stored) storedBy.set(event.deployment_id, (storedBy.get(event.deployment_id) ?? 0) + 1)
  let ackedTotal = 0
  let lost = 0
  for (const [id, statuses] of acked) {
    ackedTotal += statuses.length
    lost += Math.max(0, statuses.length - (storedBy.get(id) ?? 0))
  }
  // Pod side: batches still in the outbox of pods whose job ended by itself (nothing cut them off).
  let stranded = 0
  let strandedStatus = 0
  for (const row of rows) {
    const selfEnded = row.status === 'succeeded' || row.failure_reason === 'training_failed'
    if (!selfEnded || !row.provider_pod_id) continue
    const pod = sim.pod(row.provider_pod_id)
    if (!pod) continue
    const outbox = join(pod.dir, 'workspace', '.podlaunch', 'outbox')
    for (const file of await readdir(outbox).catch(() => [] as string[])) {
      if (!file.endsWith('.json')) continue
      // Delivered but not yet removed when the pod was terminated right after its answer?
      const seq = Number(file.replace(/\.json$/, ''))
      const seen = await database.db
        .selectFrom('pod_event_batches')
        .select('seq')
        .where('deployment_id', '=', row.id)
        .where('seq', '=', String(seq))
        .executeTakeFirst()
      if (seen) continue
      stranded += 1
      if ((await readFile(join(outbox, file), 'utf8').catch(() => '')).includes('"type":"status"')) strandedStatus += 1
    }
  }

  const outcome = new Map<string, number>()
  for (const row of rows) {
    const key = row.status === 'failed' ? `failed:${row.failure_reason}` : row.status
    outcome.set(key, (outcome.get(key) ?? 0) + 1)
  }
  const faultCounts = new Map<Fault, number>()
  for (const fault of faults.values()) faultCounts.set(fault, (faultCounts.get(fault) ?? 0) + 1)
  console.log(
    `\nran ${ranFor.toFixed(0)} s; created ${rows.length} deployments (${createErrors} create calls threw), sim saw ${sim.createRequests.length} create requests`,
  )
  console.log(
    `faults injected: ${[...faultCounts].map(([k, v]) => `${k} ${v}`).join(', ')}; plus 429 every 15th create, 500 every 17th, no capacity on ${H100} for every 10th`,
  )
  console.log(`outcomes: ${[...outcome].map(([k, v]) => `${k} ${v}`).join(', ')}`)
  console.log('')
  console.log(`deployments left non-terminal:      ${nonTerminal.length}   (target 0)`)
  console.log(`pods running past policy:            ${pastPolicy.length}   (target 0)`)
  console.log(
    `pod-seconds billed after terminal:   p50 ${pct(billedAfter, 50).toFixed(2)} s, p99 ${pct(billedAfter, 99).toFixed(2)} s, max ${pct(billedAfter, 100).toFixed(2)} s over ${billedAfter.length} pods   (target p99 <= ${RECONCILE_MS / 1000 + 10} s; succeeded pods keep 1 s of keep-alive)`,
  )
  console.log(`status events lost:                  ${lost} of ${ackedTotal} acknowledged   (target 0)`)
  console.log(
    `batches never delivered (outboxes):  ${stranded}, ${strandedStatus} of them with a status   (pods whose job ended by itself; target 0 with a status)`,
  )

  await reconciler.stop()
  http.closeAllConnections()
  http.close()
  proxy.server.closeAllConnections()
  proxy.server.close()
  for (const cleanup of cleanups) await cleanup().catch(() => {})
  await sim.close()
  await database.close()
  const ok =
    nonTerminal.length === 0 &&
    pastPolicy.length === 0 &&
    lost === 0 &&
    strandedStatus === 0 &&
    pct(billedAfter, 99) <= RECONCILE_MS / 1000 + 10
  console.log(ok ? '\nPASS' : '\nFAIL')
  process.exit(ok ? 0 : 1)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

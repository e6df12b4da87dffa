// Pod event ingest on real Postgres: 200 simulated pods (real deployments rows, real pod tokens)
// POST batches of 50 events (logs, metric lines, a heartbeat) to POST /v1/pod/events over real
// HTTP for ~20 s. Peer in the same run: the same rows written straight through pg, one
// multi-row INSERT statement per batch, with the same pool size and concurrency.
// Run from the repository root: npx tsx bench/ingest/run.ts [seconds=20] [pods=200]
// Uses DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres; either way a temp database.
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDatabase, databaseBackend } from '@podlaunch/db'
import { createTestDatabase } from '@podlaunch/db/testing'
import { createRequestHandler, systemClock } from '@podlaunch/server'
import { createTestDeps, createTestUser } from '@podlaunch/server/testing'
import { mintToken } from '@podlaunch/tokens'

const SECONDS = Number(process.argv[2] ?? 20)
const PODS = Number(process.argv[3] ?? 200)
const LOGS = 30
const METRICS = 19 // + 1 heartbeat = 50 events per batch
const POOL = 10
const TARGET = 5_000

process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres'

interface Pod {
  id: string
  token: string
  seq: number
}

function batchEvents(seq: number) {
  const at = new Date().toISOString()
  const events: unknown[] = []
  for (let i = 0; i < LOGS; i++)
    events.push({ type: 'log', at, line: `epoch ${seq} batch ${i}: loss 0.${i} lr 3e-4 grad_norm 1.${i} throughput 812 samples/s` })
  for (let i = 0; i < METRICS; i++)
    events.push({ type: 'metric', at, line: JSON.stringify({ step: seq * METRICS + i, loss: 1 / (seq + i + 1), lr: 0.0003 }) })
  events.push({ type: 'heartbeat', at })
  return events
}

async function runFor(seconds: number, pods: Pod[], send: (pod: Pod) => Promise<void>) {
  const deadline = performance.now() + seconds * 1000
  let batches = 0
  let failures = 0
  const started = performance.now()
  await Promise.all(
    pods.map(async (pod) => {
      while (performance.now() < deadline) {
        pod.seq += 1
        try {
          await send(pod)
          batches += 1
        } catch {
          failures += 1
        }
      }
    }),
  )
  return { batches, failures, seconds: (performance.now() - started) / 1000 }
}

async function countRows(db: ReturnType<typeof createDatabase>) {
  const logs = await db
    .selectFrom('deployment_logs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  const metrics = await db
    .selectFrom('deployment_metrics')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(logs.n) + Number(metrics.n)
}

async function main() {
  const database = await createTestDatabase()
  const db = createDatabase({ url: database.url, maxConnections: POOL })
  const deps = await createTestDeps(db, systemClock, { publicUrl: 'http://127.0.0.1:1' })
  const http = createServer(createRequestHandler(deps))
  http.listen(0, '127.0.0.1')
  await once(http, 'listening')
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/pod/events`
  console.log(
    `ingest: ${PODS} pods, ${LOGS + METRICS + 1} events per batch, ${SECONDS} s per side, pool ${POOL}, Postgres ${new URL(process.env.DATABASE_URL!).host}`,
  )

  const user = await createTestUser(db, 'ingest')
  const pods: Pod[] = []
  for (let i = 0; i < PODS; i++) {
    const row = await db
      .insertInto('deployments')
      .values({
        owner_id: user.id,
        name: `pod-${i}`,
        provider: 'runpod',
        status: 'training',
        spec: '{}',
        script: '#!/bin/bash\n',
        script_sha256: '0'.repeat(64),
        keep_alive_s: 60,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const token = await mintToken(deps.keyring, 'pod', {
      subject: row.id,
      claims: { deployment_id: row.id },
      ttlSeconds: 3600,
      issuer: deps.config.issuer,
    })
    await db.updateTable('deployments').set({ pod_jti: token.jti }).where('id', '=', row.id).execute()
    pods.push({ id: row.id, token: token.token, seq: 0 })
  }

  // podlaunch: the real endpoint, real HTTP, real tokens.
  const beforeServer = await countRows(db)
  const served = await runFor(SECONDS, pods, async (pod) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${pod.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seq: pod.seq, events: batchEvents(pod.seq) }),
    })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`${response.status} ${text}`)
  })
  const serverRows = (await countRows(db)) - beforeServer

  // Peer: the same rows, one multi-row INSERT statement per batch, straight through pg.
  const peerDb = createDatabase({ url: database.url, maxConnections: POOL })
  const backend = databaseBackend(peerDb)
  if (backend.kind !== 'postgres') throw new Error('the peer needs Postgres')
  const pool = backend.pool
  for (const pod of pods) pod.seq = 1_000_000
  const beforePeer = await countRows(db)
  const peer = await runFor(SECONDS, pods, async (pod) => {
    const params: unknown[] = []
    const logs: string[] = []
    const metrics: string[] = []
    for (const event of batchEvents(pod.seq) as { type: string; at: string; line?: string }[]) {
      if (event.type === 'log') {
        params.push(pod.id, event.at, event.line)
        logs.push(`($${params.length - 2}, $${params.length - 1}, $${params.length})`)
      } else if (event.type === 'metric') {
        const { step, ...values } = JSON.parse(event.line!) as Record<string, number>
        for (const [name, value] of Object.entries(values)) {
          params.push(pod.id, name, step, value, event.at)
          metrics.push(`($${params.length - 4}, $${params.length - 3}, $${params.length - 2}, $${params.length - 1}, $${params.length})`)
        }
      }
    }
    await pool.query(
      `WITH logs AS (INSERT INTO deployment_logs (deployment_id, at, line) VALUES ${logs.join(', ')} RETURNING 1)
       INSERT INTO deployment_metrics (deployment_id, name, step, value, at) VALUES ${metrics.join(', ')}`,
      params,
    )
  })
  const peerRows = (await countRows(db)) - beforePeer

  const events = (run: { batches: number; seconds: number }) => (run.batches * (LOGS + METRICS + 1)) / run.seconds
  const podlaunchRate = events(served)
  const peerRate = events(peer)
  console.log('')
  console.log(
    `podlaunch POST /v1/pod/events: ${served.batches} batches (${served.failures} failed), ${podlaunchRate.toFixed(0)} events/s, ${(serverRows / served.seconds).toFixed(0)} rows/s stored`,
  )
  console.log(
    `peer (pg, one INSERT per batch): ${peer.batches} batches (${peer.failures} failed), ${peerRate.toFixed(0)} events/s, ${(peerRows / peer.seconds).toFixed(0)} rows/s stored`,
  )
  console.log(`podlaunch / peer: ${(podlaunchRate / peerRate).toFixed(2)}   target: podlaunch >= ${TARGET} events/s`)
  console.log(podlaunchRate >= TARGET && served.failures === 0 ? 'PASS' : 'FAIL')

  http.closeAllConnections()
  http.close()
  await deps.cleanup()
  await peerDb.destroy()
  await db.destroy()
  await database.close()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

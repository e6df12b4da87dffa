// Time to first byte of a download request, including token verification and the revocation
// lookup against a 10,000-row token_revocations table, on real Postgres; /healthz (one trivial
// query) is the peer in the same run.
// Run from the repository root: npx tsx bench/tokens-ttfb.ts [requests=2000]
// Uses DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; a temporary database is
// created there and dropped at the end.
import { mkdir, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { createTestDatabase } from '@podlaunch/db/testing'
import { appRouter, createCallerFactory, createInnerContext, createRequestHandler } from '@podlaunch/server'
import { createTestDeps, createTestUser, listenOnLoopback } from '@podlaunch/server/testing'
import { randomUUID } from 'node:crypto'

const REQUESTS = Number(process.argv[2] ?? 2000)
const REVOKED_ROWS = 10_000
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres'

const database = await createTestDatabase()
const deps = await createTestDeps(database.db, undefined, {})
const http = await listenOnLoopback(createRequestHandler(deps))
try {
  await mkdir(deps.config.importDir, { recursive: true })
  await writeFile(join(deps.config.importDir, 'small.bin'), Buffer.alloc(64 * 1024, 7))
  const admin = await createTestUser(database.db, 'bench-admin', true)
  const caller = createCallerFactory(appRouter)(
    createInnerContext(deps, { id: admin.id, name: 'bench-admin', isAdmin: true, apiKeyId: admin.apiKeyId }),
  )
  const dataset = await caller.datasets.register({ name: 'ttfb', path: 'small.bin' })
  const minted = await caller.datasets.createDownloadUrl({ id: dataset.id })
  const expiresAt = new Date(Date.now() + 86_400_000)
  for (let done = 0; done < REVOKED_ROWS; done += 1000) {
    const rows = Array.from({ length: 1000 }, () => ({ jti: randomUUID(), expires_at: expiresAt, reason: 'bench' }))
    await database.db.insertInto('token_revocations').values(rows).execute()
  }

  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const download = `${http.url}${new URL(minted.url).pathname}${new URL(minted.url).search}`
  const cases = [
    {
      name: 'download bytes=0-0 (verify + revocation lookup + dataset lookup + open; the log row is written after)',
      url: download,
      headers: { range: 'bytes=0-0' },
      status: 206,
    },
    { name: '/healthz (one trivial query)', url: `${http.url}/healthz`, headers: {}, status: 200 },
  ]
  console.log(`Postgres, ${REVOKED_ROWS} revoked tokens, ${REQUESTS} sequential requests per case on one keep-alive connection`)
  for (const { name, url, headers, status } of cases as { name: string; url: string; headers: Record<string, string>; status: number }[]) {
    for (let i = 0; i < 200; i++) await ttfb(agent, url, headers, status) // warm-up
    const times: number[] = []
    for (let i = 0; i < REQUESTS; i++) times.push(await ttfb(agent, url, headers, status))
    times.sort((a, b) => a - b)
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2)
    console.log(`  ${name}: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${times.at(-1)!.toFixed(2)} ms`)
  }
  agent.destroy()
} finally {
  await http.close()
  await deps.cleanup()
  await database.close()
}

/** Milliseconds from sending the request to the response head; the body is drained after. */
function ttfb(agent: Agent, url: string, headers: Record<string, string>, expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(url, { agent, headers }, (res) => {
      const elapsed = performance.now() - started
      if (res.statusCode !== expected) reject(new Error(`expected ${expected}, got ${res.statusCode}`))
      res.resume()
      res.on('end', () => resolve(elapsed))
    })
    req.on('error', reject)
    req.end()
  })
}

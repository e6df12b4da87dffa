// The Next.js host end to end: build it, start it, sign in with the app's own session, and run a
// deployment on the local provider entirely through podlaunch mounted at /api/podlaunch (upload,
// the pod's resumed dataset download with Range, pod events, the SSE subscription), then read it
// on the app's page.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient, type DeploymentEvent, type PodlaunchClient } from '@podlaunch/client'
import { createTestDatabase, usingPostgres, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, startApp, type RunningApp } from './next-app.ts'

const run = promisify(execFile)
const PASSWORD = 'e2e-password'
const DATASET = Array.from({ length: 2000 }, (_, i) => `${i},${(i * 7) % 13}`).join('\n') + '\n'
// The pod finds the first 100 bytes already on disk and fetches only the rest: a Range request.
const ALREADY_THERE = DATASET.slice(0, 100)

let app: RunningApp
let dataDir: string
let database: TestDatabase | undefined
let buildSeconds = 0

beforeAll(async () => {
  buildSeconds = await buildApp()
  dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-nextjs-host-'))
  if (usingPostgres) database = await createTestDatabase({ migrate: false })
  const started = performance.now()
  app = await startApp({
    PODLAUNCH_DATA_DIR: dataDir,
    SESSION_SECRET: 'e2e-session-secret',
    DEMO_PASSWORD: PASSWORD,
    HOST_ADMINS: 'alice',
    ...(database ? { DATABASE_URL: database.url! } : {}),
  })
  console.log(
    `[nextjs-host] next build ${buildSeconds.toFixed(1)} s, next start until podlaunch answered ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
})

afterAll(async () => {
  await app?.stop()
  await database?.close()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

async function signIn(name: string, password = PASSWORD): Promise<Response> {
  return fetch(`${app.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ name, password }),
    headers: { origin: app.url },
    redirect: 'manual',
  })
}

async function sessionOf(name: string): Promise<string> {
  const res = await signIn(name)
  expect(res.status).toBe(303)
  return res.headers.getSetCookie()[0]!.split(';')[0]!
}

/** The typed client as the app's own pages in a browser would call it: the session cookie, same origin. */
function clientFor(cookie: string): PodlaunchClient {
  return createClient({
    url: `${app.url}/api/podlaunch`,
    fetch: (input, init) => {
      const headers = new Headers(init?.headers)
      headers.set('cookie', cookie)
      headers.set('origin', app.url)
      headers.set('sec-fetch-site', 'same-origin')
      return fetch(input, { ...init, headers })
    },
  })
}

describe('podlaunch mounted in a Next.js app', () => {
  it('signs users in with the app session only', async () => {
    expect((await signIn('alice', 'wrong')).status).toBe(401)
    const anonymous = await fetch(`${app.url}/api/podlaunch/trpc/me`)
    expect(anonymous.status).toBe(401)
    const me = await clientFor(await sessionOf('alice')).me.query()
    expect(me).toMatchObject({ name: 'alice', isAdmin: true })
  })

  it('runs a deployment through the mounted routes and lists it on the page', async () => {
    const cookie = await sessionOf('alice')
    const client = clientFor(cookie)
    const dataset = await client.uploadDataset({ name: 'rows', file: new Blob([DATASET]), filename: 'train.csv' })
    expect(dataset.status).toBe('ready')

    // The URLs podlaunch hands out carry the mount's path; a Range request works through Next.
    const { url } = await client.datasets.createDownloadUrl.mutate({ id: dataset.id })
    expect(url.startsWith(`${app.url}/api/podlaunch/v1/datasets/download?token=`)).toBe(true)
    const part = await run('curl', ['-sS', '-r', '10-19', '-w', '\n%{http_code}', url])
    expect(part.stdout).toBe(`${DATASET.slice(10, 20)}\n206`)

    const created = await client.deployments.create.mutate({
      name: 'next-host-e2e',
      datasetId: dataset.id,
      provider: 'local',
      gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
      files: [{ path: 'train.csv', content: ALREADY_THERE, mode: '0644' }],
      trainCommand: 'echo "rows: $(wc -l < "$PODLAUNCH_DATASET_PATH")"; echo \'{"step":1,"loss":0.25}\' >> "$PODLAUNCH_METRICS_FILE"',
      keepAliveSeconds: 1,
    })
    const seen: DeploymentEvent[] = []
    const done = await client.waitForDeployment(created.id, { timeoutMs: 120_000, onEvent: (event) => seen.push(event) })
    expect(done.status, JSON.stringify(await client.deployments.logs.query({ id: created.id }))).toBe('succeeded')

    // Live over SSE: the pod's reports, as they arrived through the mounted events route.
    const statuses = seen.filter((event) => event.kind === 'status').map((event) => event.status)
    expect(statuses).toEqual(expect.arrayContaining(['downloading', 'training', 'succeeded']))
    const logs = (await client.deployments.logs.query({ id: created.id })).map((row) => row.line).join('\n')
    expect(logs).toContain('resuming at byte 100')
    expect(logs).toContain('rows: 2000')
    expect(await client.deployments.metrics.query({ id: created.id })).toEqual([expect.objectContaining({ name: 'loss', step: 1 })])

    const page = await (await fetch(app.url, { headers: { cookie } })).text()
    expect(page).toContain(`data-deployment-id="${created.id}"`)
    expect(page).toContain('data-status="succeeded"')

    // Another user of the app sees none of it.
    const other = await (await fetch(app.url, { headers: { cookie: await sessionOf('bob') } })).text()
    expect(other).toContain('Deployments of bob')
    expect(other).not.toContain(created.id)
  })

  it('refuses a cross-site request riding the session cookie', async () => {
    const cookie = await sessionOf('carol')
    const res = await fetch(`${app.url}/api/podlaunch/trpc/datasets.create`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', filename: 'x.csv', sizeBytes: 1 }),
    })
    expect(res.status).toBe(403)
    expect(await clientFor(cookie).datasets.list.query({})).toMatchObject({ items: [] })
  })
})

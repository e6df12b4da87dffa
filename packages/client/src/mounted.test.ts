// The SDK against podlaunch mounted under a basePath in a host, through the fetch handler: the
// client is pointed at origin + basePath, and URLs the server hands out are not doubled.
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { createPodlaunch, silentLogger, type Podlaunch } from '@podlaunch/server'
import { createTestUser, fetchListener, listenOnLoopback, type RunningHttp, type TestUser } from '@podlaunch/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onClientServer } from './client.ts'
import { createClient } from './index.ts'

let database: TestDatabase
let http: RunningHttp
let podlaunch: Podlaunch
let user: TestUser
let dataDir: string

beforeAll(async () => {
  database = await createTestDatabase()
  dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-sdk-mounted-'))
  let handle: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 })
  http = await listenOnLoopback(fetchListener((request) => handle(request)))
  // The public URL names another host on purpose: the SDK must send uploads to the URL it was given.
  podlaunch = createPodlaunch({
    db: database.db,
    dataDir,
    basePath: '/api/podlaunch',
    publicUrl: 'http://public.invalid',
    logger: silentLogger(),
    admin: false,
    reconciler: false,
  })
  handle = podlaunch.fetch
  user = await createTestUser(database.db, 'host-user')
})

afterAll(async () => {
  await podlaunch.close()
  await http.close()
  await database.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('the SDK against a mounted podlaunch', () => {
  it('uploads a dataset and reads it back through origin + basePath', async () => {
    const client = createClient({ url: `${http.url}/api/podlaunch`, apiKey: user.apiKey })
    const bytes = Buffer.from('a,b\n1,2\n'.repeat(1000))
    const dataset = await client.uploadDataset({ name: 'mounted', file: new Blob([bytes]), filename: 'd.csv' })
    expect(dataset).toMatchObject({ status: 'ready', sha256: createHash('sha256').update(bytes).digest('hex') })
    const { url } = await client.datasets.createDownloadUrl.mutate({ id: dataset.id })
    const res = await fetch(onClientServer(client.baseUrl, url))
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
  })
})

describe('onClientServer', () => {
  it.each([
    ['http://127.0.0.1:3000', 'https://pods.example/v1/x?token=t', 'http://127.0.0.1:3000/v1/x?token=t'],
    ['http://host/api/podlaunch', 'https://pods.example/api/podlaunch/v1/x', 'http://host/api/podlaunch/v1/x'],
    ['http://host/api/podlaunch/', 'https://pods.example/api/podlaunch', 'http://host/api/podlaunch'],
    ['http://proxy/podlaunch', 'http://internal:3000/v1/x', 'http://proxy/podlaunch/v1/x'],
  ])('%s + %s -> %s', (client, handedOut, expected) => {
    expect(onClientServer(client, handedOut)).toBe(expected)
  })
})

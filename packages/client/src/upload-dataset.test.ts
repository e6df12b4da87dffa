import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { createRequestHandler } from '@podlaunch/server'
import { createTestDeps, createTestUser, listenOnLoopback, type RunningHttp, type TestUser } from '@podlaunch/server/testing'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { createClient, UploadDatasetError, type PodlaunchClient, type PodlaunchErrorCode } from './index.ts'

let database: TestDatabase
let http: RunningHttp
let user: TestUser
let client: PodlaunchClient
let cleanup: () => Promise<void>
let dir: string
const MAX = 4 * 1024 * 1024

beforeAll(async () => {
  database = await createTestDatabase()
  // The configured public URL is not where the test server listens: the helper must still work.
  const deps = await createTestDeps(database.db, undefined, { maxDatasetBytes: MAX })
  cleanup = deps.cleanup
  user = await createTestUser(database.db, 'uploader')
  http = await listenOnLoopback(createRequestHandler(deps))
  client = createClient({ url: http.url, apiKey: user.apiKey })
  dir = await mkdtemp(join(tmpdir(), 'podlaunch-client-'))
})

afterAll(async () => {
  await http.close()
  await cleanup()
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function download(id: string): Promise<Buffer> {
  const { url } = await client.datasets.createDownloadUrl.mutate({ id })
  const res = await fetch(`${http.url}${new URL(url).pathname}${new URL(url).search}`)
  return Buffer.from(await res.arrayBuffer())
}

async function failure(promise: Promise<unknown>): Promise<UploadDatasetError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(UploadDatasetError)
  return error as UploadDatasetError
}

describe('client.uploadDataset', () => {
  it('uploads a file by path with progress and returns the ready dataset', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 5)
    const path = join(dir, 'train.csv')
    await writeFile(path, bytes)
    const progress: Array<[number, number]> = []
    const dataset = await client.uploadDataset({ name: 'train', path, onProgress: (sent, total) => progress.push([sent, total]) })
    expect(dataset).toMatchObject({ name: 'train', filename: 'train.csv', status: 'ready', sizeBytes: bytes.length, sha256: sha256(bytes) })
    expect(progress.length).toBeGreaterThan(1)
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length])
    expect(progress.every(([sent], i) => i === 0 || sent > progress[i - 1]![0])).toBe(true)
    expect((await download(dataset.id)).equals(bytes)).toBe(true)
  })

  it('uploads a Blob / File', async () => {
    const bytes = randomBytes(10_000)
    const dataset = await client.uploadDataset({ name: 'blob', file: new File([bytes], 'data.bin') })
    expect(dataset).toMatchObject({ filename: 'data.bin', sha256: sha256(bytes) })
  })

  it('uploads Node and web streams, hashing while sending', async () => {
    const bytes = randomBytes(200_000)
    const chunks = Array.from({ length: 20 }, (_, i) => bytes.subarray(i * 10_000, (i + 1) * 10_000))
    const fromNode = await client.uploadDataset({ name: 'node', stream: Readable.from(chunks), sizeBytes: bytes.length, filename: 'n.bin' })
    expect(fromNode).toMatchObject({ status: 'ready', sha256: sha256(bytes), filename: 'n.bin' })
    const web = new Blob([bytes]).stream()
    const fromWeb = await client.uploadDataset({ name: 'web', stream: web, sizeBytes: bytes.length })
    expect(fromWeb).toMatchObject({ status: 'ready', sha256: sha256(bytes), filename: 'web' })
  })

  it("carries the server's code on failures", async () => {
    const bytes = randomBytes(1000)
    const short = await failure(client.uploadDataset({ name: 'short', stream: Readable.from([bytes]), sizeBytes: 2000 }))
    expect(short).toMatchObject({ code: 'SIZE_MISMATCH', status: 400 })
    expectTypeOf(short.code).toEqualTypeOf<PodlaunchErrorCode>()
    const wrong = await failure(client.uploadDataset({ name: 'wrong', file: new Blob([bytes]), sha256: sha256(randomBytes(8)) }))
    expect(wrong).toMatchObject({ code: 'CHECKSUM_MISMATCH', status: 400 })
    const big = await failure(client.uploadDataset({ name: 'big', stream: Readable.from([bytes]), sizeBytes: MAX + 1 }))
    expect(big).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
    const none = await failure(client.uploadDataset({ name: 'none' }))
    expect(none.code).toBe('BAD_REQUEST')
    const badKey = createClient({ url: http.url, apiKey: 'pl_wrong' })
    expect(await failure(badKey.uploadDataset({ name: 'x', file: new Blob([bytes]) }))).toMatchObject({ code: 'UNAUTHORIZED' })
    const left = await client.datasets.list.query({ limit: 100, status: 'ready' })
    expect(left.items.map((item) => item.name)).not.toContain('short')
  })

  it('gives its own codes when no podlaunch answer arrives', async () => {
    const file = new Blob([randomBytes(100)])
    const unreachable = createClient({ url: http.url, apiKey: user.apiKey, fetch: () => Promise.reject(new TypeError('fetch failed')) })
    expect(await failure(unreachable.uploadDataset({ name: 'x', file }))).toMatchObject({ code: 'NETWORK_ERROR' })
    // A proxy answers the PUT with its own page: no podlaunch code to read.
    const proxied = createClient({
      url: http.url,
      apiKey: user.apiKey,
      fetch: (input, init) =>
        init?.method === 'PUT' ? Promise.resolve(new Response('<h1>Bad gateway</h1>', { status: 502 })) : fetch(input, init),
    })
    expect(await failure(proxied.uploadDataset({ name: 'x', file }))).toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 502 })
  })
})

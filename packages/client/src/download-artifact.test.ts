import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { createRequestHandler, type ServerDeps } from '@podlaunch/server'
import { createTestDeps, createTestUser, listenOnLoopback, type RunningHttp, type TestUser } from '@podlaunch/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, DownloadArtifactError, type PodlaunchClient } from './index.ts'

let database: TestDatabase
let deps: ServerDeps & { cleanup(): Promise<void> }
let http: RunningHttp
let user: TestUser
let client: PodlaunchClient
let dir: string
const content = randomBytes(3 * 1024 * 1024 + 11)
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** A stored artifact as the upload endpoint leaves it: a complete row and its file under the data root. */
async function storedArtifact(bytes: Buffer, sha = sha256(bytes)): Promise<string> {
  const deployment = await database.db
    .insertInto('deployments')
    .values({
      owner_id: user.id,
      name: 'trained',
      provider: 'local',
      status: 'succeeded',
      spec: '{}',
      script: '#!/bin/bash\n',
      script_sha256: '0'.repeat(64),
      keep_alive_s: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const key = randomUUID()
  await mkdir(deps.config.artifactsDir, { recursive: true })
  await writeFile(join(deps.config.artifactsDir, key), bytes)
  const row = await database.db
    .insertInto('artifacts')
    .values({
      deployment_id: deployment.id,
      name: 'artifacts.tar.zst',
      size_bytes: bytes.length,
      sha256: sha,
      status: 'complete',
      storage_key: key,
      received_bytes: bytes.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

beforeAll(async () => {
  database = await createTestDatabase()
  deps = await createTestDeps(database.db)
  user = await createTestUser(database.db, 'downloader')
  http = await listenOnLoopback(createRequestHandler(deps))
  client = createClient({ url: http.url, apiKey: user.apiKey })
  dir = await mkdtemp(join(tmpdir(), 'podlaunch-client-artifacts-'))
}, 30_000)

afterAll(async () => {
  await http.close()
  await deps.cleanup()
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

describe('client.downloadArtifact', () => {
  it('streams to a path with progress and verifies the sha256', async () => {
    const id = await storedArtifact(content)
    const path = join(dir, 'model.tar.zst')
    const progress: number[] = []
    const info = await client.downloadArtifact(id, { path, onProgress: (received) => progress.push(received) })
    expect(info).toMatchObject({ id, sizeBytes: content.length, sha256: sha256(content), path })
    expect((await readFile(path)).equals(content)).toBe(true)
    expect(progress.at(-1)).toBe(content.length)
  })

  it('resumes with Range after a cut connection and writes byte-identical content into a stream', async () => {
    const id = await storedArtifact(content)
    const ranges: (string | null)[] = []
    let cut = true
    // The first response dies after ~1 MiB, as a dropped connection would.
    const flaky: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      if (!String(input).includes('/v1/artifacts/download')) return res
      ranges.push(new Headers(init?.headers).get('range'))
      if (!cut || !res.body) return res
      cut = false
      let sent = 0
      const reader = res.body.getReader()
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read()
          if (done) return controller.close()
          sent += value.byteLength
          if (sent > 1024 * 1024) {
            await reader.cancel()
            return controller.error(new TypeError('terminated'))
          }
          controller.enqueue(value)
        },
      })
      return new Response(body, { status: res.status, headers: res.headers })
    }
    const chunks: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk)
        callback()
      },
    })
    const flakyClient = createClient({ url: http.url, apiKey: user.apiKey, fetch: flaky })
    await flakyClient.downloadArtifact(id, { stream: sink })
    expect(Buffer.concat(chunks).equals(content)).toBe(true)
    expect(ranges[0]).toBeNull()
    expect(ranges[1]).toMatch(/^bytes=\d+-$/)
    expect(Number(/\d+/.exec(ranges[1]!)![0])).toBeGreaterThan(0)
  })

  it('refuses content that does not match the recorded sha256 and removes the file', async () => {
    const id = await storedArtifact(content.subarray(0, 1000), sha256(Buffer.from('something else')))
    const path = join(dir, 'bad.bin')
    const error = await client.downloadArtifact(id, { path }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadArtifactError)
    expect((error as DownloadArtifactError).code).toBe('CHECKSUM_MISMATCH')
    expect(existsSync(path)).toBe(false)
  })

  it("carries the server's code for someone else's or a missing artifact", async () => {
    const other = createClient({ url: http.url, apiKey: (await createTestUser(database.db, 'other')).apiKey })
    const id = await storedArtifact(Buffer.from('x'))
    const error = await other.downloadArtifact(id, { path: join(dir, 'x') }).catch((caught: unknown) => caught)
    expect((error as DownloadArtifactError).code).toBe('NOT_FOUND')
  })

  it("reads a refused download's JSON answer into the typed code", async () => {
    const id = await storedArtifact(Buffer.from('model'))
    // The signed URL loses its token on the way: the server refuses the GET itself.
    const stripping = createClient({
      url: http.url,
      apiKey: user.apiKey,
      fetch: (input, init) =>
        fetch(String(input).includes('/v1/artifacts/download') ? String(input).replace(/\?token=[^&]*/, '') : input, init),
    })
    const error = await stripping.downloadArtifact(id, { path: join(dir, 'refused') }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadArtifactError)
    expect(error).toMatchObject({ code: 'TOKEN_MISSING', status: 401 })
    expect(existsSync(join(dir, 'refused'))).toBe(false)
  })
})

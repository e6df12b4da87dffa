import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestUser } from '../testing.ts'
import { randomBytesOf, sha256Hex, startDatasetServer, type DatasetServer } from './test-support.ts'

const MAX = 64 * 1024
let server: DatasetServer

beforeAll(async () => {
  server = await startDatasetServer({ config: { maxDatasetBytes: MAX } })
})

afterAll(() => server.close())

// Whatever happened, the store holds exactly the files of ready datasets: nothing stray, no temp file.
afterEach(async () => {
  await vi.waitFor(async () => {
    const ready = await server.deps.db.selectFrom('datasets').select('storage_key').where('status', '=', 'ready').execute()
    expect((await server.storeFiles()).sort()).toEqual(ready.map((row) => row.storage_key).sort())
  })
})

async function create(declared: { sizeBytes: number; sha256?: string }, user = server.alice) {
  const api = await server.caller(user)
  const { dataset, uploadUrl } = await api.datasets.create({ name: 'up', filename: 'up.bin', ...declared })
  expect(uploadUrl).toMatch(new RegExp(`/v1/datasets/${dataset.id}/content$`))
  return dataset.id
}

const contentPath = (id: string) => `/v1/datasets/${id}/content`

/** PUT with node:http, so an early answer (413 before the body is read) still arrives. */
function put(
  id: string,
  body: Buffer,
  options: { apiKey?: string; chunked?: boolean; contentLength?: number } = {},
): Promise<{ status: number; code: string | undefined; json: Record<string, unknown> }> {
  const headers: Record<string, string | number> = { authorization: `Bearer ${options.apiKey ?? server.alice.apiKey}` }
  if (!options.chunked) headers['content-length'] = options.contentLength ?? body.length
  return new Promise((resolve, reject) => {
    const req = request(`${server.http.url}${contentPath(id)}`, { method: 'PUT', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>
        resolve({ status: res.statusCode ?? 0, code: (json.error as { code?: string } | undefined)?.code, json })
      })
    })
    req.on('error', reject)
    // Several writes, so a chunked body arrives in pieces.
    for (let offset = 0; offset < body.length; offset += 8192) req.write(body.subarray(offset, offset + 8192))
    req.end()
  })
}

/** Sends the request head and `bytes` of the body on a raw socket, and leaves it open. */
async function openUpload(id: string, declaredLength: number, bytes: Buffer): Promise<Socket> {
  const port = new URL(server.http.url).port
  const socket = connect(Number(port), '127.0.0.1')
  socket.on('error', () => undefined)
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write(
    `PUT ${contentPath(id)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.alice.apiKey}\r\nContent-Length: ${declaredLength}\r\n\r\n`,
  )
  socket.write(bytes)
  return socket
}

async function statusOf(id: string) {
  const row = await server.deps.db.selectFrom('datasets').select('status').where('id', '=', id).executeTakeFirstOrThrow()
  return row.status
}

describe('PUT /v1/datasets/{id}/content', () => {
  it('stores the bytes and marks the dataset ready', async () => {
    const body = randomBytesOf(40_000)
    const id = await create({ sizeBytes: body.length, sha256: sha256Hex(body) })
    const res = await put(id, body)
    expect(res.status).toBe(200)
    expect(res.json.dataset).toMatchObject({ id, status: 'ready', sha256: sha256Hex(body), sizeBytes: body.length })
    expect(await put(id, body)).toMatchObject({ status: 409, code: 'CONFLICT' })
  })

  it('computes the sha256 when none was declared', async () => {
    const body = randomBytesOf(1000, 3)
    const id = await create({ sizeBytes: body.length })
    expect((await put(id, body, { chunked: true })).json.dataset).toMatchObject({ sha256: sha256Hex(body) })
  })

  it('refuses a body shorter than declared with 400 SIZE_MISMATCH', async () => {
    const id = await create({ sizeBytes: 1000 })
    expect(await put(id, randomBytesOf(500))).toMatchObject({ status: 400, code: 'SIZE_MISMATCH' })
    expect(await statusOf(id)).toBe('uploading')
  })

  it('refuses other bytes than declared with 400 CHECKSUM_MISMATCH', async () => {
    const id = await create({ sizeBytes: 1000, sha256: sha256Hex(randomBytesOf(1000, 1)) })
    expect(await put(id, randomBytesOf(1000, 2))).toMatchObject({ status: 400, code: 'CHECKSUM_MISMATCH' })
    expect(await statusOf(id)).toBe('uploading')
  })

  it('refuses bodies over the declared size with 413, by Content-Length or while streaming', async () => {
    const id = await create({ sizeBytes: 1000 })
    expect(await put(id, randomBytesOf(2000))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' })
    expect(await put(id, randomBytesOf(50_000), { chunked: true })).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' })
    expect(await statusOf(id)).toBe('uploading')
  })

  it('refuses a declared size over the configured maximum with PAYLOAD_TOO_LARGE', async () => {
    const api = await server.caller(server.alice)
    await expect(api.datasets.create({ name: 'big', filename: 'big.bin', sizeBytes: MAX + 1 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    })
    const id = await create({ sizeBytes: MAX })
    expect(await put(id, randomBytesOf(MAX + 1), { chunked: true })).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' })
    expect(await put(id, randomBytesOf(MAX))).toMatchObject({ status: 200 })
  })

  it('leaves nothing behind when the connection is cut half-way', async () => {
    const body = randomBytesOf(50_000)
    const id = await create({ sizeBytes: body.length })
    const socket = await openUpload(id, body.length, body.subarray(0, 25_000))
    await vi.waitFor(async () => expect((await server.storeFiles()).length).toBe(1 + (await readyCount())))
    socket.destroy()
    await vi.waitFor(async () => expect(await server.storeFiles()).toHaveLength(await readyCount()))
    expect(await statusOf(id)).toBe('uploading')
    // Nothing holds the dataset afterwards: a full upload goes through.
    expect(await put(id, body)).toMatchObject({ status: 200 })
  })

  it('answers a second upload while one is running with 409 UPLOAD_IN_PROGRESS', async () => {
    const body = randomBytesOf(50_000)
    const id = await create({ sizeBytes: body.length })
    const first = await openUpload(id, body.length, body.subarray(0, 10_000))
    await vi.waitFor(async () => expect((await server.storeFiles()).length).toBe(1 + (await readyCount())))
    expect(await put(id, body)).toMatchObject({ status: 409, code: 'UPLOAD_IN_PROGRESS' })
    first.destroy()
    await vi.waitFor(async () => expect(await put(id, body)).toMatchObject({ status: 200 }))
  })

  it("answers 404 NOT_FOUND for another user's dataset, over HTTP and tRPC", async () => {
    const bob = await createTestUser(server.database.db, 'bob-up')
    const body = randomBytesOf(100)
    const id = await create({ sizeBytes: body.length })
    expect(await put(id, body, { apiKey: bob.apiKey })).toMatchObject({ status: 404, code: 'NOT_FOUND' })
    await expect((await server.caller(bob)).datasets.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await put(id, body, { apiKey: 'pl_wrong' })).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    expect(await statusOf(id)).toBe('uploading')
  })
})

async function readyCount() {
  const rows = await server.deps.db.selectFrom('datasets').select('id').where('status', '=', 'ready').execute()
  return rows.length
}

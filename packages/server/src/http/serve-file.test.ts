import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytesOf, startDatasetServer, type DatasetServer } from '../datasets/test-support.ts'

const SIZE = 10_000
const CONTENT = randomBytesOf(SIZE, 7)
let server: DatasetServer
let url: string

beforeAll(async () => {
  server = await startDatasetServer()
  const id = await server.upload(server.alice, CONTENT, 'données v2.csv')
  url = (await server.downloadUrl(server.alice, id)).url
})

afterAll(() => server.close())

async function get(headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(url, { method, headers })
  return { res, body: Buffer.from(await res.arrayBuffer()) }
}

describe('Range over HTTP', () => {
  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=9000-', 9000, SIZE - 1],
    ['bytes=-500', SIZE - 500, SIZE - 1],
    ['bytes=9990-20000', 9990, SIZE - 1],
    ['bytes=-20000', 0, SIZE - 1],
    ['bytes=5-5', 5, 5],
    ['bytes=0-99999999999999999999', 0, SIZE - 1],
  ])('%s → 206 with exactly those bytes', async (range, start, end) => {
    const { res, body } = await get({ range })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${SIZE}`)
    expect(res.headers.get('content-length')).toBe(String(end - start + 1))
    expect(body.equals(CONTENT.subarray(start, end + 1))).toBe(true)
  })

  it.each(['bytes=10000-', 'bytes=20000-30000', 'bytes=-0', 'bytes=99999999999999999999-'])(
    '%s → 416 RANGE_NOT_SATISFIABLE with Content-Range bytes */size',
    async (range) => {
      const { res, body } = await get({ range })
      expect(res.status).toBe(416)
      expect(res.headers.get('content-range')).toBe(`bytes */${SIZE}`)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(JSON.parse(body.toString())).toEqual({ error: { code: 'RANGE_NOT_SATISFIABLE', message: expect.any(String) } })
    },
  )

  it.each(['bytes=0-1,5-9', 'bytes=abc', 'bytes=9-0', 'items=0-9', 'bytes=-', 'bytes 0-9', 'bytes=0x10-'])(
    '%s → 200 with the whole file',
    async (range) => {
      const { res, body } = await get({ range })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-range')).toBeNull()
      expect(body.equals(CONTENT)).toBe(true)
    },
  )

  it('answers HEAD with the headers and no body', async () => {
    const full = await new Promise<{ status: number; headers: Record<string, unknown>; bytes: number }>((resolve, reject) => {
      const req = request(url, { method: 'HEAD', headers: { range: 'bytes=10-19' } }, (res) => {
        let bytes = 0
        res.on('data', (chunk: Buffer) => (bytes += chunk.length))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }))
      })
      req.on('error', reject)
      req.end()
    })
    expect(full).toMatchObject({ status: 206, bytes: 0 })
    expect(full.headers).toMatchObject({ 'content-length': '10', 'content-range': `bytes 10-19/${SIZE}` })
    const { res, body } = await get({}, 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(SIZE))
    expect(body.length).toBe(0)
  })

  it('honours If-Range only with the current strong ETag', async () => {
    const etag = (await get({}, 'HEAD')).res.headers.get('etag')!
    const match = await get({ range: 'bytes=0-9', 'if-range': etag })
    expect(match.res.status).toBe(206)
    expect(match.body.equals(CONTENT.subarray(0, 10))).toBe(true)
    for (const other of ['"something-else"', `W/${etag}`, new Date().toUTCString()]) {
      const mismatch = await get({ range: 'bytes=0-9', 'if-range': other })
      expect(mismatch.res.status).toBe(200)
      expect(mismatch.body.equals(CONTENT)).toBe(true)
    }
  })

  it('answers If-None-Match with the ETag (or *) with 304 and no body', async () => {
    const etag = (await get({}, 'HEAD')).res.headers.get('etag')!
    for (const header of [etag, `"x", ${etag}`, `W/${etag}`, '*']) {
      const { res, body } = await get({ 'if-none-match': header })
      expect(res.status).toBe(304)
      expect(res.headers.get('etag')).toBe(etag)
      expect(body.length).toBe(0)
    }
    expect((await get({ 'if-none-match': '"other"' })).res.status).toBe(200)
  })

  it('sends validators, a representation digest and the safety headers', async () => {
    const { res } = await get({ range: 'bytes=0-0' })
    const digest = createHash('sha256').update(CONTENT).digest()
    const h = res.headers
    expect(h.get('accept-ranges')).toBe('bytes')
    expect(h.get('etag')).toMatch(/^"[A-Za-z0-9_-]+"$/) // strong: no W/ prefix
    expect(Number.isNaN(Date.parse(h.get('last-modified')!))).toBe(false)
    expect(h.get('content-disposition')).toBe(`attachment; filename="donn_es v2.csv"; filename*=UTF-8''donn%C3%A9es%20v2.csv`)
    // The digest is of the whole representation, also on a 206.
    expect(h.get('repr-digest')).toBe(`sha-256=:${digest.toString('base64')}:`)
    expect(h.get('cache-control')).toBe('private, no-store')
    expect(h.get('referrer-policy')).toBe('no-referrer')
    expect(h.get('x-content-type-options')).toBe('nosniff')
    expect(h.get('content-type')).toBe('application/octet-stream')
  })
})

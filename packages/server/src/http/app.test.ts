import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppRouter } from '../router.ts'
import { createTestDeps, createTestUser, listenOnLoopback, type RunningHttp, type TestUser } from '../testing.ts'
import { createRequestHandler } from './app.ts'

let database: TestDatabase
let http: RunningHttp
let user: TestUser
let cleanup: () => Promise<void>

beforeAll(async () => {
  database = await createTestDatabase()
  const deps = await createTestDeps(database.db)
  cleanup = deps.cleanup
  user = await createTestUser(database.db, 'http-user')
  http = await listenOnLoopback(createRequestHandler(deps))
})

afterAll(async () => {
  await http.close()
  await cleanup()
  await database.close()
})

function client(apiKey: string | undefined) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${http.url}/trpc`, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} })],
  })
}

describe('HTTP', () => {
  it('answers /healthz with 200 while the database answers', async () => {
    const res = await fetch(`${http.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('serves tRPC over a real batch round trip', async () => {
    const [me, keys] = await Promise.all([client(user.apiKey).me.query(), client(user.apiKey).apiKeys.list.query()])
    expect(me.id).toBe(user.id)
    expect(keys.map((key) => key.id)).toContain(user.apiKeyId)
  })

  it('carries the stable app code of an error to the client', async () => {
    const error = await client(undefined).me.query().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TRPCClientError)
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED')
    expect((error as TRPCClientError<AppRouter>).data?.appCode).toBe('UNAUTHORIZED')
    expect((error as TRPCClientError<AppRouter>).data).not.toHaveProperty('stack', expect.anything())
  })

  it('answers unknown paths with a JSON error', async () => {
    const res = await fetch(`${http.url}/v1/nothing-here`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such endpoint' } })
  })

  it('answers /healthz with 503 once the database is gone', async () => {
    const other = await createTestDatabase()
    const deps = await createTestDeps(other.db)
    const server = await listenOnLoopback(createRequestHandler(deps))
    try {
      await other.close()
      const res = await fetch(`${server.url}/healthz`)
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ status: 'unavailable', error: { code: 'UNAVAILABLE' } })
    } finally {
      await server.close()
      await deps.cleanup()
    }
  })
})

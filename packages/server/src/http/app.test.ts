import { createTRPCClient, httpBatchLink, isTRPCClientError, type TRPCClientError } from '@trpc/client'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import type { AppErrorCode } from '../errors.ts'
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

function client(apiKey: string | undefined, url = http.url) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${url}/trpc`, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} })],
  })
}

/** The failure of `call`, typed by the router (no cast). */
async function failure(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!isTRPCClientError<AppRouter>(error)) throw new Error(`expected a TRPCClientError, got ${String(error)}`)
  return error
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

  it('carries the stable app code of an error to the client, typed by the router', async () => {
    const error = await failure(client(undefined).me.query())
    expectTypeOf(error.data?.appCode).toEqualTypeOf<AppErrorCode | undefined>()
    expect([error.data?.code, error.data?.appCode, error.data?.httpStatus]).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 401])
    expect(error.data).not.toHaveProperty('stack', expect.anything())
    const invalid = await failure(client(user.apiKey).datasets.get.query({ id: 'not-a-uuid' }))
    expect([invalid.data?.appCode, Object.keys(invalid.data?.fieldErrors ?? {})]).toEqual(['VALIDATION_FAILED', ['id']])
  })

  it('answers unknown paths with a JSON error', async () => {
    const res = await fetch(`${http.url}/v1/nothing-here`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } })
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
      // An unexpected failure reaches a tRPC client as INTERNAL, without the database's message.
      const internal = await failure(client(user.apiKey, server.url).me.query())
      expect([internal.data?.appCode, internal.message]).toEqual(['INTERNAL', 'internal error'])
    } finally {
      await server.close()
      await deps.cleanup()
    }
  })
})

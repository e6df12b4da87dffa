import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { createRequestHandler } from '@podlaunch/server'
import { createTestDeps, createTestUser, listenOnLoopback, type RunningHttp, type TestUser } from '@podlaunch/server/testing'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { appCodeOf, createClient, isPodlaunchTrpcError, TRPCClientError, type AppErrorCode } from './index.ts'

let database: TestDatabase
let http: RunningHttp
let user: TestUser
let cleanup: () => Promise<void>

beforeAll(async () => {
  database = await createTestDatabase()
  const deps = await createTestDeps(database.db)
  cleanup = deps.cleanup
  user = await createTestUser(database.db, 'sdk-user')
  http = await listenOnLoopback(createRequestHandler(deps))
})

afterAll(async () => {
  await http.close()
  await cleanup()
  await database.close()
})

describe('createClient', () => {
  it('calls procedures over HTTP with the API key', async () => {
    const client = createClient({ url: `${http.url}/`, apiKey: user.apiKey })
    await expect(client.me.query()).resolves.toMatchObject({ id: user.id, name: 'sdk-user' })
    expect(client.baseUrl).toBe(http.url)
  })

  it('surfaces UNAUTHORIZED as a TRPCClientError whose app code is typed by the router', async () => {
    const client = createClient({ url: http.url, apiKey: 'wrong' })
    const error = await client.me.query().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TRPCClientError)
    if (!isPodlaunchTrpcError(error)) throw new Error('not a tRPC error')
    expectTypeOf(error.data?.appCode).toEqualTypeOf<AppErrorCode | undefined>()
    expect([error.data?.code, error.data?.appCode, appCodeOf(error)]).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED'])
    expect(appCodeOf(new Error('not from tRPC'))).toBeUndefined()
  })
})

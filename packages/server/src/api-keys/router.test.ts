import { TRPCError } from '@trpc/server'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { authenticateApiKey } from '../auth/authenticate.ts'
import { appRouter } from '../router.ts'
import { createTestDeps, createTestUser, type TestUser } from '../testing.ts'
import { createCallerFactory } from '../trpc.ts'

const createCaller = createCallerFactory(appRouter)
let database: TestDatabase
let deps: Awaited<ReturnType<typeof createTestDeps>>
let alice: TestUser
let bob: TestUser

async function callerFor(apiKey: string | undefined) {
  const user = await authenticateApiKey(deps.db, deps.clock, apiKey)
  return createCaller(createInnerContext(deps, user))
}

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(TRPCError)
  return (error as TRPCError).code
}

beforeAll(async () => {
  database = await createTestDatabase()
  deps = await createTestDeps(database.db)
  alice = await createTestUser(database.db, 'alice')
  bob = await createTestUser(database.db, 'bob')
})

afterAll(async () => {
  await deps.cleanup()
  await database.close()
})

describe('authentication', () => {
  it('answers me for a valid key', async () => {
    const caller = await callerFor(alice.apiKey)
    await expect(caller.me()).resolves.toMatchObject({ id: alice.id, name: 'alice', isAdmin: false })
  })

  it.each([
    ['no key', undefined],
    ['a malformed key', 'not-a-key'],
    ['a well-formed unknown key', `pl_${'A'.repeat(43)}`],
  ])('refuses %s with UNAUTHORIZED', async (_label, key) => {
    const caller = await callerFor(key)
    expect(await codeOf(caller.me())).toBe('UNAUTHORIZED')
    expect(await codeOf(caller.apiKeys.list())).toBe('UNAUTHORIZED')
  })

  it('refuses a revoked key with UNAUTHORIZED', async () => {
    const carol = await createTestUser(database.db, 'carol')
    await (await callerFor(carol.apiKey)).apiKeys.revoke({ id: carol.apiKeyId })
    expect(await codeOf((await callerFor(carol.apiKey)).me())).toBe('UNAUTHORIZED')
  })
})

describe('apiKeys', () => {
  it('shows a created key once and stores only its hash', async () => {
    const caller = await callerFor(alice.apiKey)
    const created = await caller.apiKeys.create({ name: 'ci' })
    expect(created.key).toMatch(/^pl_[A-Za-z0-9_-]{43}$/)
    expect(created.key.startsWith(created.prefix)).toBe(true)
    const listed = await caller.apiKeys.list()
    expect(listed.find((key) => key.id === created.id)).toMatchObject({ name: 'ci', prefix: created.prefix, revokedAt: null })
    expect(JSON.stringify(listed)).not.toContain(created.key)
    const stored = await database.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(JSON.stringify(stored)).not.toContain(created.key)
    await expect((await callerFor(created.key)).me()).resolves.toMatchObject({ id: alice.id })
  })

  it('keeps users apart: bob cannot list or revoke alice’s keys', async () => {
    const bobCaller = await callerFor(bob.apiKey)
    const bobKeys = await bobCaller.apiKeys.list()
    expect(bobKeys.map((key) => key.id)).not.toContain(alice.apiKeyId)
    expect(await codeOf(bobCaller.apiKeys.revoke({ id: alice.apiKeyId }))).toBe('NOT_FOUND')
    const aliceKey = await database.db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('id', '=', alice.apiKeyId)
      .executeTakeFirstOrThrow()
    expect(aliceKey.revoked_at).toBeNull()
  })

  it('refuses bad input with BAD_REQUEST and field errors, writing nothing', async () => {
    const caller = await callerFor(alice.apiKey)
    const before = await caller.apiKeys.list()
    const error = await caller.apiKeys.create({ name: '   ' }).catch((caught: unknown) => caught)
    expect((error as TRPCError).code).toBe('BAD_REQUEST')
    expect(await caller.apiKeys.list()).toHaveLength(before.length)
    expect(await codeOf(caller.apiKeys.revoke({ id: 'not-a-uuid' }))).toBe('BAD_REQUEST')
  })
})

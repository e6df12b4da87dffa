import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { assertNotRevoked, createRevocationStore, type RevocationStore } from './revocation-store.ts'
import { expectTokenError } from './test-tokens.ts'

let database: TestDatabase
let store: RevocationStore

beforeAll(async () => {
  database = await createTestDatabase()
  store = createRevocationStore(database.db)
}, 60_000)
afterAll(async () => {
  await database?.close()
})
beforeEach(async () => {
  await database.db.deleteFrom('token_revocations').execute()
})

const T = (iso: string) => new Date(`2030-01-01T${iso}Z`)

describe('revocation store', () => {
  it('revoke then isRevoked', async () => {
    expect(await store.isRevoked('jti-1')).toBe(false)
    await store.revoke('jti-1', T('01:00:00'), 'deployment succeeded')
    expect(await store.isRevoked('jti-1')).toBe(true)
    expect(await store.isRevoked('jti-2')).toBe(false)
  })

  it('revoking twice keeps one row, the first', async () => {
    await store.revoke('jti-1', T('01:00:00'), 'first')
    await store.revoke('jti-1', T('02:00:00'), 'second')
    const rows = await database.db.selectFrom('token_revocations').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ jti: 'jti-1', reason: 'first', expires_at: T('01:00:00') })
    expect(rows[0]?.revoked_at).toBeInstanceOf(Date)
  })

  it('concurrent revokes of one jti do not conflict', async () => {
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.revoke('jti-race', T('01:00:00'), `reason ${n}`)))
    expect(await store.isRevoked('jti-race')).toBe(true)
  })

  it('purgeExpired removes only rows that expired before now', async () => {
    await store.revoke('past', T('00:59:59'), 'r')
    await store.revoke('boundary', T('01:00:00'), 'r')
    await store.revoke('future', T('01:00:01'), 'r')
    expect(await store.purgeExpired(T('01:00:00'))).toBe(1)
    expect(await store.isRevoked('past')).toBe(false)
    expect(await store.isRevoked('boundary')).toBe(true)
    expect(await store.isRevoked('future')).toBe(true)
    expect(await store.purgeExpired(T('01:00:00'))).toBe(0)
    expect(await store.purgeExpired(T('02:00:00'))).toBe(2)
  })

  it('assertNotRevoked throws TOKEN_REVOKED for a revoked jti only', async () => {
    await store.revoke('gone', T('01:00:00'), 'r')
    await expectTokenError(assertNotRevoked(store, 'gone'), 'TOKEN_REVOKED')
    await expect(assertNotRevoked(store, 'alive')).resolves.toBeUndefined()
  })
})

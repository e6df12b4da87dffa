// Revoked jtis with the token's expiry, so rows can be purged once the token would be refused
// as expired anyway. Checked on every use of a token (each Range request too).
import type { Database } from '@podlaunch/db'
import type { Kysely } from 'kysely'
import { TokenError } from './errors.ts'

export interface RevocationStore {
  /** Revokes `jti` until `expiresAt`. Idempotent: a second call keeps the first row unchanged. */
  revoke(jti: string, expiresAt: Date, reason: string): Promise<void>
  /** Whether `jti` has been revoked (and not yet purged). */
  isRevoked(jti: string): Promise<boolean>
  /** Deletes rows whose expires_at is before `now`; returns how many were deleted. */
  purgeExpired(now: Date): Promise<number>
}

export function createRevocationStore(db: Kysely<Database>): RevocationStore {
  return {
    async revoke(jti, expiresAt, reason) {
      await db
        .insertInto('token_revocations')
        .values({ jti, expires_at: expiresAt, reason })
        .onConflict((conflict) => conflict.column('jti').doNothing())
        .execute()
    },

    async isRevoked(jti) {
      const row = await db.selectFrom('token_revocations').select('jti').where('jti', '=', jti).executeTakeFirst()
      return row !== undefined
    },

    async purgeExpired(now) {
      const result = await db.deleteFrom('token_revocations').where('expires_at', '<', now).executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}

/** Throws TokenError TOKEN_REVOKED when `jti` is revoked; call after verifyToken succeeds. */
export async function assertNotRevoked(store: RevocationStore, jti: string): Promise<void> {
  if (await store.isRevoked(jti)) throw new TokenError('TOKEN_REVOKED', 'token has been revoked')
}

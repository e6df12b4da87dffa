import type { Kysely } from 'kysely'
import type { Database } from '@podlaunch/db'
import { apiKeyPrefix, generateApiKey, hashApiKey, isWellFormedApiKey } from './api-key.ts'

export interface EnsureAdminResult {
  userId: string
  /** Set only when a key was generated now: show it once, then it is gone. */
  generatedKey?: string
}

/**
 * Makes sure an administrator exists with a usable key: the configured one (its hash is stored
 * if new), or on first start a generated one. Later starts keep earlier keys valid.
 */
export async function ensureAdmin(db: Kysely<Database>, options: { apiKey?: string | undefined } = {}): Promise<EnsureAdminResult> {
  if (options.apiKey !== undefined && !isWellFormedApiKey(options.apiKey)) {
    throw new Error('PODLAUNCH_ADMIN_API_KEY must look like pl_ followed by 43 base64url characters')
  }
  return db.transaction().execute(async (trx) => {
    let admin = await trx.selectFrom('users').select('id').where('is_admin', '=', true).orderBy('created_at').executeTakeFirst()
    admin ??= await trx.insertInto('users').values({ name: 'admin', is_admin: true }).returning('id').executeTakeFirstOrThrow()

    if (options.apiKey) {
      const hash = hashApiKey(options.apiKey)
      const existing = await trx.selectFrom('api_keys').select(['user_id', 'revoked_at']).where('key_hash', '=', hash).executeTakeFirst()
      if (existing && (existing.user_id !== admin.id || existing.revoked_at)) {
        throw new Error('PODLAUNCH_ADMIN_API_KEY is revoked or belongs to another user')
      }
      if (!existing) {
        await trx
          .insertInto('api_keys')
          .values({ user_id: admin.id, name: 'admin (from PODLAUNCH_ADMIN_API_KEY)', key_hash: hash, prefix: apiKeyPrefix(options.apiKey) })
          .execute()
      }
      return { userId: admin.id }
    }

    const live = await trx
      .selectFrom('api_keys')
      .select('id')
      .where('user_id', '=', admin.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (live) return { userId: admin.id }
    const generated = generateApiKey()
    await trx
      .insertInto('api_keys')
      .values({ user_id: admin.id, name: 'admin (generated on first start)', key_hash: generated.hash, prefix: generated.prefix })
      .execute()
    return { userId: admin.id, generatedKey: generated.key }
  })
}

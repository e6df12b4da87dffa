import type { Kysely } from 'kysely'
import type { Database } from '@podlaunch/db'
import type { Clock } from '../clock.ts'
import { hashApiKey, isWellFormedApiKey } from './api-key.ts'

export interface AuthenticatedUser {
  id: string
  name: string
  isAdmin: boolean
  /** The API key the request carried; null for a user the host's `authenticate` hook named. */
  apiKeyId: string | null
}

// Recording every use would add a write to every request; a minute's precision is enough.
const LAST_USED_PRECISION_MS = 60_000

/** Resolves an API key to its user, or undefined for a missing, malformed, unknown or revoked key. */
export async function authenticateApiKey(
  db: Kysely<Database>,
  clock: Clock,
  key: string | undefined,
): Promise<AuthenticatedUser | undefined> {
  if (!key || !isWellFormedApiKey(key)) return undefined
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select(['api_keys.id as apiKeyId', 'api_keys.last_used_at', 'users.id', 'users.name', 'users.is_admin'])
    .where('api_keys.key_hash', '=', hashApiKey(key))
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  const now = clock()
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_PRECISION_MS) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.apiKeyId).execute()
  }
  return { id: row.id, name: row.name, isAdmin: row.is_admin, apiKeyId: row.apiKeyId }
}

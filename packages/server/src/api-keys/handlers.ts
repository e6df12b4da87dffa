import type { AuthedContext } from '../trpc.ts'
import { generateApiKey } from '../auth/api-key.ts'
import { notFound } from '../errors.ts'

export interface ApiKeySummary {
  id: string
  name: string
  prefix: string
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}

export async function createApiKey({ ctx, input }: { ctx: AuthedContext; input: { name: string } }) {
  const generated = generateApiKey()
  const row = await ctx.db
    .insertInto('api_keys')
    .values({ user_id: ctx.user.id, name: input.name, key_hash: generated.hash, prefix: generated.prefix })
    .returning(['id', 'name', 'prefix', 'created_at'])
    .executeTakeFirstOrThrow()
  // The only time the key itself leaves the server.
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, key: generated.key }
}

export async function listApiKeys({ ctx }: { ctx: AuthedContext }): Promise<ApiKeySummary[]> {
  const rows = await ctx.db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', ctx.user.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }))
}

export async function revokeApiKey({ ctx, input }: { ctx: AuthedContext; input: { id: string } }) {
  const row = await ctx.db
    .updateTable('api_keys')
    .set({ revoked_at: ctx.clock() })
    .where('id', '=', input.id)
    .where('user_id', '=', ctx.user.id)
    .where('revoked_at', 'is', null)
    .returning(['id', 'revoked_at'])
    .executeTakeFirst()
  if (row) return { id: row.id, revokedAt: row.revoked_at }
  // Already revoked keys of the caller answer the same; another user's key does not exist.
  const own = await ctx.db
    .selectFrom('api_keys')
    .select(['id', 'revoked_at'])
    .where('id', '=', input.id)
    .where('user_id', '=', ctx.user.id)
    .executeTakeFirst()
  if (!own) throw notFound('API key')
  return { id: own.id, revokedAt: own.revoked_at }
}

import type { Kysely } from 'kysely'
import type { Database } from '@podlaunch/db'
import type { Clock } from '../clock.ts'
import { bearerToken, isWellFormedApiKey } from './api-key.ts'
import { authenticateApiKey, type AuthenticatedUser } from './authenticate.ts'
import { assertSameOrigin } from './same-origin.ts'

/** What the `authenticate` hook and API-key checks see of a request, from either adapter. */
export interface HostRequest {
  method: string
  url: URL
  headers: Headers
}

/** The host app's user behind a request. */
export interface HostUser {
  /** The host's stable id for this user (its primary key, a JWT's `sub`); 1 to 255 characters. */
  id: string
  /** Shown in podlaunch (the admin app, logs). Default: the id. */
  name?: string | undefined
  /**
   * Whether the user is a podlaunch administrator. When given, podlaunch follows it on every
   * request; when omitted, a new user is a member and an existing one keeps what it has.
   */
  admin?: boolean | undefined
}

/**
 * Maps the host's own session (a cookie, a JWT) to its user, or undefined when the request
 * carries none. Called for requests without a podlaunch API key; never for pod or download routes.
 */
export type AuthenticateHook = (request: HostRequest) => Promise<HostUser | null | undefined> | HostUser | null | undefined

/** Who is calling: an API key's user, a host session's user, or nobody. */
export type IdentifyCaller = (request: HostRequest) => Promise<AuthenticatedUser | undefined>

export interface CallerOptions {
  authenticate?: AuthenticateHook | undefined
  /** Origins besides the request's own whose pages may change things with a host session. */
  trustedOrigins?: readonly string[] | undefined
}

/**
 * API keys first: a request whose Bearer credential is a podlaunch key is that key's, valid or
 * not. Otherwise the host's hook decides; its user is created on first sight under the host's
 * id, after the cross-site check, so a refused request writes nothing.
 */
export function createCallerIdentifier(deps: { db: Kysely<Database>; clock: Clock }, options: CallerOptions = {}): IdentifyCaller {
  const trusted = new Set((options.trustedOrigins ?? []).map((origin) => new URL(origin).origin))
  return async (request) => {
    const bearer = bearerToken(request.headers.get('authorization') ?? undefined)
    if (bearer && isWellFormedApiKey(bearer)) return authenticateApiKey(deps.db, deps.clock, bearer)
    if (!options.authenticate) return undefined
    const host = await options.authenticate(request)
    if (!host) return undefined
    checkHostUser(host)
    assertSameOrigin(request, trusted)
    return hostUserRow(deps.db, host)
  }
}

function checkHostUser(host: HostUser): void {
  // A host bug, not a caller's: it surfaces as a server fault, never as someone else's account.
  if (typeof host.id !== 'string' || host.id.length < 1 || host.id.length > 255 || /\p{Cc}/u.test(host.id)) {
    throw new Error('authenticate returned a user whose id is not a string of 1 to 255 characters without control characters')
  }
}

/** The podlaunch user for a host id: found, kept in step with the host's name and admin flag, or created. */
async function hostUserRow(db: Kysely<Database>, host: HostUser): Promise<AuthenticatedUser> {
  const name = host.name?.trim() || host.id
  const found = await db.selectFrom('users').select(['id', 'name', 'is_admin']).where('external_id', '=', host.id).executeTakeFirst()
  const isAdmin = host.admin ?? found?.is_admin ?? false
  if (found && found.name === name && found.is_admin === isAdmin) return { id: found.id, name, isAdmin, apiKeyId: null }
  // Two first requests of a new user may race: the unique external_id makes one insert win.
  const row = await db
    .insertInto('users')
    .values({ name, is_admin: isAdmin, external_id: host.id })
    .onConflict((conflict) => conflict.column('external_id').doUpdateSet({ name, is_admin: isAdmin }))
    .returning(['id', 'name', 'is_admin'])
    .executeTakeFirstOrThrow()
  return { id: row.id, name: row.name, isAdmin: row.is_admin, apiKeyId: null }
}

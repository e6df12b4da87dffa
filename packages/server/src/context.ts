import type { IncomingMessage } from 'node:http'
import type { Kysely } from 'kysely'
import type { ProviderName } from '@podlaunch/contract'
import type { Database } from '@podlaunch/db'
import type { Provider } from '@podlaunch/providers'
import type { Keyring, RevocationStore } from '@podlaunch/tokens'
import { bearerToken } from './auth/api-key.ts'
import { authenticateApiKey, type AuthenticatedUser } from './auth/authenticate.ts'
import type { Clock } from './clock.ts'
import type { ServerConfig } from './config.ts'
import type { DatasetStore } from './datasets/store.ts'
import type { EventBus } from './events/bus.ts'
import type { ServerHooks } from './hooks.ts'
import type { Logger } from './logger.ts'

/**
 * What the server is made of. Built once at start (or directly by tests) and passed in:
 * no module holds a database, clock or provider of its own.
 */
export interface ServerDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  config: ServerConfig
  keyring: Keyring
  revocations: RevocationStore
  store: DatasetStore
  /** The providers this server can create pods with; a missing one is not configured. */
  providers: Partial<Record<ProviderName, Provider>>
  events: EventBus
  /** Test wiring only (see ServerHooks). */
  hooks?: ServerHooks
}

/** The inner context: dependencies plus the caller. Tests build it directly. */
export interface Context extends ServerDeps {
  user: AuthenticatedUser | undefined
}

export function createInnerContext(deps: ServerDeps, user?: AuthenticatedUser): Context {
  return { ...deps, user }
}

/** The outer context: reads the API key from the request. */
export function createContextFactory(deps: ServerDeps) {
  return async ({ req }: { req: IncomingMessage }): Promise<Context> => {
    const user = await authenticateApiKey(deps.db, deps.clock, bearerToken(req.headers.authorization))
    return createInnerContext(deps, user)
  }
}

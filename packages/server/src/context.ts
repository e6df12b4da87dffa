import type { Kysely } from 'kysely'
import type { ProviderName } from '@podlaunch/contract'
import type { Database } from '@podlaunch/db'
import type { Provider } from '@podlaunch/providers'
import type { Keyring, RevocationStore } from '@podlaunch/tokens'
import { TRPCError } from '@trpc/server'
import type { AuthenticatedUser } from './auth/authenticate.ts'
import { createCallerIdentifier, type HostRequest, type IdentifyCaller } from './auth/caller.ts'
import type { Clock } from './clock.ts'
import type { ServerConfig } from './config.ts'
import type { DatasetStore } from './datasets/store.ts'
import { toAppError, trpcCodeOf } from './errors.ts'
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
  /** Aborted when the server shuts down: open streams (SSE subscriptions) end then. */
  shutdown?: AbortSignal
}

/** The inner context: dependencies plus the caller. Tests build it directly. */
export interface Context extends ServerDeps {
  user: AuthenticatedUser | undefined
}

export function createInnerContext(deps: ServerDeps, user?: AuthenticatedUser): Context {
  return { ...deps, user }
}

/**
 * The outer context: the caller from the request (an API key, or the host's session through
 * its `authenticate` hook), the same for both adapters. A refusal (a cross-site request riding
 * a host session) is answered with its own code, as a procedure's would be.
 */
export function createContextFactory(deps: ServerDeps, identify: IdentifyCaller = createCallerIdentifier(deps)) {
  return async (request: HostRequest): Promise<Context> => {
    try {
      return createInnerContext(deps, await identify(request))
    } catch (error) {
      const known = toAppError(error)
      if (known) throw new TRPCError({ code: trpcCodeOf(known), message: known.message, cause: known })
      throw error
    }
  }
}

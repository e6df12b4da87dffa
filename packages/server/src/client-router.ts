import type { AnyTRPCRootTypes, TRPCBuiltRouter, TRPCRouterRecord } from '@trpc/server'
import { appRouter } from './router.ts'

/**
 * The router with its context type erased. A client only ever sees procedures (their input,
 * output and error shape); the context (database, keyring, logger) appears nowhere but the
 * router's root types, and leaving it in would drag Kysely, pino, jose and pg into the client's
 * published declarations.
 */
function withoutContext<TRoot extends AnyTRPCRootTypes, TRecord extends TRPCRouterRecord>(
  router: TRPCBuiltRouter<TRoot, TRecord>,
): TRPCBuiltRouter<
  { ctx: object; meta: TRoot['meta']; errorShape: TRoot['errorShape']; transformer: TRoot['transformer'] },
  { [K in keyof TRecord]: TRecord[K] }
> {
  return router as never
}

/**
 * A value only so that its type is computed from appRouter: tsc writes an inferred type out in
 * full in the declaration file (a type alias would be kept as written, context and all), which is
 * what lets the client bundle its declarations without any of the server's dependencies. Nothing
 * imports this at run time.
 */
export const clientRouter = withoutContext(appRouter)

/** The router as clients see it (`@podlaunch/client` re-exports it as `AppRouter`). */
export type ClientRouter = typeof clientRouter

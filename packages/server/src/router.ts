import { apiKeysRouter } from './api-keys/router.ts'
import { artifactsRouter } from './artifacts/router.ts'
import { datasetsRouter } from './datasets/router.ts'
import { deploymentsRouter } from './deployments/router.ts'
import { tokensRouter } from './tokens-router.ts'
import { authedProcedure, router } from './trpc.ts'

/** The root router only composes the domain routers. */
export const appRouter = router({
  me: authedProcedure.query(({ ctx }) => ({ id: ctx.user.id, name: ctx.user.name, isAdmin: ctx.user.isAdmin })),
  apiKeys: apiKeysRouter,
  artifacts: artifactsRouter,
  datasets: datasetsRouter,
  deployments: deploymentsRouter,
  tokens: tokensRouter,
})

export type AppRouter = typeof appRouter

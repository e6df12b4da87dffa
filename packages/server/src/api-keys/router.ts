import { z } from 'zod'
import { authedProcedure, router } from '../trpc.ts'
import { createApiKey, listApiKeys, revokeApiKey } from './handlers.ts'

export const apiKeysRouter = router({
  create: authedProcedure
    .input(z.object({ name: z.string().trim().min(1).max(100) }))
    .mutation(({ ctx, input }) => createApiKey({ ctx, input })),
  list: authedProcedure.query(({ ctx }) => listApiKeys({ ctx })),
  revoke: authedProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => revokeApiKey({ ctx, input })),
})

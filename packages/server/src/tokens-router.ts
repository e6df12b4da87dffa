import { MAX_TOKEN_TTL_SECONDS } from '@podlaunch/tokens'
import { z } from 'zod'
import { authedProcedure, router } from './trpc.ts'

export const tokensRouter = router({
  /**
   * Revokes a token by its jti at once. jtis are random UUIDs handed only to whoever minted
   * the token; the row is kept for the longest lifetime a token can have.
   */
  revoke: authedProcedure.input(z.object({ jti: z.uuid() })).mutation(async ({ ctx, input }) => {
    const expiresAt = new Date(ctx.clock().getTime() + MAX_TOKEN_TTL_SECONDS * 1000)
    await ctx.revocations.revoke(input.jti, expiresAt, `revoked by user ${ctx.user.id}`)
    return { jti: input.jti, revoked: true as const }
  }),
})

import { initTRPC, TRPCError } from '@trpc/server'
import { ZodError, z } from 'zod'
import type { Context } from './context.ts'
import { AppError, trpcCodeOf } from './errors.ts'

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause
    const appCode =
      cause instanceof AppError ? cause.code : cause instanceof ZodError ? 'VALIDATION_FAILED' : error.code
    return {
      ...shape,
      data: {
        ...shape.data,
        // Stack traces stay on the server.
        stack: undefined,
        appCode,
        fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined,
      },
    }
  },
})

/** Domain errors thrown by handlers become TRPCErrors with the mapped code. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause
    result.error = new TRPCError({ code: trpcCodeOf(cause), message: cause.message, cause })
  }
  return result
})

export const router = t.router
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure.use(mapDomainErrors)

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'a valid API key is required' })
  return next({ ctx: { ...ctx, user: ctx.user } })
})

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isAdmin) throw new TRPCError({ code: 'FORBIDDEN', message: 'administrators only' })
  return next()
})

export type AuthedContext = Context & { user: NonNullable<Context['user']> }

import { initTRPC, TRPCError, type TRPCDefaultErrorData, type TRPCDefaultErrorShape } from '@trpc/server'
import { ZodError, z } from 'zod'
import type { Context } from './context.ts'
import { AppError, appCodeOfTrpc, toAppError, trpcCodeOf, type AppErrorCode } from './errors.ts'

/**
 * What a failed procedure call carries to clients: tRPC's shape plus the stable app code (and
 * zod's field errors for a bad input). Named, so clients' declarations name it once.
 */
export interface PodlaunchErrorShape extends TRPCDefaultErrorShape {
  data: TRPCDefaultErrorData & {
    stack: undefined
    appCode: AppErrorCode
    fieldErrors: Record<string, string[] | undefined> | undefined
  }
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }): PodlaunchErrorShape {
    const cause = error.cause
    const appCode: AppErrorCode =
      cause instanceof AppError ? cause.code : cause instanceof ZodError ? 'VALIDATION_FAILED' : appCodeOfTrpc(error.code)
    // An unexpected error's message (a database's, a bug's) stays in the server's log.
    const internal = error.code === 'INTERNAL_SERVER_ERROR' && !(cause instanceof AppError)
    const fieldErrors: Record<string, string[] | undefined> | undefined =
      cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined
    return {
      ...shape,
      message: internal ? 'internal error' : shape.message,
      data: {
        ...shape.data,
        // Stack traces stay on the server.
        stack: undefined,
        appCode,
        fieldErrors,
      },
    }
  },
})

/** A domain or token error as the TRPCError the table fixes; anything else as it is. */
function mapped(error: unknown): unknown {
  const cause = toAppError(error instanceof TRPCError ? error.cause : error)
  return cause ? new TRPCError({ code: trpcCodeOf(cause), message: cause.message, cause }) : error
}

/** A subscription's stream fails after the procedure returned: its errors are mapped as they come. */
async function* mappedStream(stream: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  try {
    yield* stream
  } catch (error) {
    throw mapped(error)
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

/** Domain and token errors thrown by handlers (or streams) become TRPCErrors with the table's code. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok) {
    const error = mapped(result.error)
    if (error instanceof TRPCError) result.error = error
  } else if (isAsyncIterable(result.data)) {
    result.data = mappedStream(result.data)
  }
  return result
})

export const router = t.router
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure.use(mapDomainErrors)

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError('UNAUTHORIZED', 'a valid API key is required')
  return next({ ctx: { ...ctx, user: ctx.user } })
})

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isAdmin) throw new AppError('FORBIDDEN', 'administrators only')
  return next()
})

export type AuthedContext = Context & { user: NonNullable<Context['user']> }

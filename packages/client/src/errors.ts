import { TRPCClientError } from '@trpc/client'

/** An SDK failure with the server's stable `code` (or the SDK's own, e.g. NETWORK_ERROR). */
export class PodlaunchError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

type PodlaunchErrorClass = new (code: string, message: string, status?: number, options?: ErrorOptions) => PodlaunchError

/** Rethrows a tRPC error as `ErrorClass` carrying its app code; anything else as it is. */
export function rethrowTrpcError(ErrorClass: PodlaunchErrorClass, error: unknown): never {
  if (error instanceof TRPCClientError) {
    const data = error.data as { appCode?: string; code?: string; httpStatus?: number } | undefined
    throw new ErrorClass(data?.appCode ?? data?.code ?? 'INTERNAL', error.message, data?.httpStatus, { cause: error })
  }
  throw error
}

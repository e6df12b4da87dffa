import type { ErrorBody } from '@podlaunch/contract'
import { AppError, toAppError } from '../errors.ts'
import { redactUrl, type Logger } from '../logger.ts'
import { jsonResponse, type PlainRequest, type PlainResponse } from './exchange.ts'

/** `{"error":{"code","message"}}` with the status the code fixes, plus the error's own headers and fields. */
export function errorResponse(error: AppError): PlainResponse {
  const body: ErrorBody & Record<string, unknown> = { ...error.details, error: { code: error.code, message: error.message } }
  return jsonResponse(error.status, body, { ...error.headers })
}

/**
 * The one place a plain-HTTP request fails, for both adapters: domain and token errors are
 * answered by their code; anything else is logged and answered `500 INTERNAL` without its message.
 */
export function failRequest(logger: Logger, request: Pick<PlainRequest, 'url' | 'signal'>, error: unknown): PlainResponse {
  const known = toAppError(error)
  const url = redactUrl(`${request.url.pathname}${request.url.search}`)
  if (known) {
    if (known.status >= 500) logger.error({ err: known, url }, 'request refused by a server fault')
    return errorResponse(known)
  }
  if (request.signal.aborted) {
    // The client went away mid-request (a cut upload, a closed download): nobody reads this answer.
    logger.info({ err: error, url }, 'request ended without an answer: the connection is gone')
  } else {
    logger.error({ err: error, url }, 'request failed')
  }
  return errorResponse(new AppError('INTERNAL', 'internal error'))
}

/** One log line per request, the same from both adapters (tokens in the query are redacted). */
export function logRequest(logger: Logger, method: string, url: URL | string, status: number, started: number): void {
  const text = typeof url === 'string' ? url : `${url.pathname}${url.search}`
  logger.info({ method, url: redactUrl(text), status, ms: Math.round(performance.now() - started) }, 'request')
}

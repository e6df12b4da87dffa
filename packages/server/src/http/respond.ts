import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorBody } from '@podlaunch/contract'
import { AppError, toAppError } from '../errors.ts'
import { redactUrl, type Logger } from '../logger.ts'

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
  res.end(text)
}

/**
 * Answers `{"error":{"code","message"}}` with the status the code fixes, plus the error's own
 * headers and fields. A request whose body is still arriving is not read on: the answer says
 * `Connection: close` and the connection ends once it is sent, so an unwanted upload costs
 * nothing more. An answer already under way cannot become an error: the connection is cut.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, error: AppError): void {
  if (res.headersSent || res.destroyed) {
    res.destroy()
    return
  }
  // `complete` is false while body bytes are still on the wire. Once they all arrived, Node
  // discards what the route did not read, and the connection can be kept.
  const bodyPending = !req.complete
  const body: ErrorBody & Record<string, unknown> = { ...error.details, error: { code: error.code, message: error.message } }
  sendJson(res, error.status, body, bodyPending ? { ...error.headers, Connection: 'close' } : { ...error.headers })
  if (bodyPending) res.once('finish', () => req.destroy())
}

/**
 * The one place a plain-HTTP request fails: domain and token errors are answered by their code;
 * anything else is logged and answered `500 INTERNAL` without its message.
 */
export function failRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const known = toAppError(error)
  const url = redactUrl(req.url ?? '')
  if (known) {
    if (known.status >= 500) logger.error({ err: known, url }, 'request refused by a server fault')
    sendError(req, res, known)
    return
  }
  if (res.destroyed || !res.socket || res.socket.destroyed) {
    // The client went away mid-request (a cut upload, a closed download): nobody to answer.
    logger.info({ err: error, url }, 'request ended without an answer: the connection is gone')
    res.destroy()
    return
  }
  logger.error({ err: error, url }, 'request failed')
  sendError(req, res, new AppError('INTERNAL', 'internal error'))
}

import type { ServerResponse } from 'node:http'
import { AppError, httpStatusOf } from '../errors.ts'

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

/** Plain-HTTP errors are always `{"error":{"code","message"}}`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  if (res.headersSent) {
    res.destroy()
    return
  }
  sendJson(res, status, { error: { code, message } }, headers)
}

export function sendAppError(res: ServerResponse, error: AppError, headers: Record<string, string> = {}) {
  sendError(res, httpStatusOf(error), error.code, error.message, headers)
}

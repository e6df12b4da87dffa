import { AppError } from '../errors.ts'
import type { OpenedFile } from '../storage/opened-file.ts'
import { emptyResponse, type Delivery, type PlainRequest, type PlainResponse } from './exchange.ts'
import { contentDisposition, parseRange } from './range.ts'

export interface ServedFile {
  file: OpenedFile
  sha256: string
  filename: string
}

export interface ServeOutcome {
  status: number
  bytesSent: number
  range: string | null
}

/**
 * Answers GET/HEAD for a stored file with validators, Range and a representation digest.
 * The handle was opened and fstat'ed before this; bytes come from that same handle, so a
 * file replaced on disk meanwhile cannot mix into the response. The handle is closed once the
 * answer is delivered (or refused), then `onDelivered` hears what was sent. A range past the end
 * is thrown as RANGE_NOT_SATISFIABLE (416, with a Content-Range naming the size).
 */
export async function serveFile(
  request: PlainRequest,
  served: ServedFile,
  onDelivered: (outcome: ServeOutcome) => void | Promise<void> = () => {},
): Promise<PlainResponse> {
  const { file, sha256 } = served
  const digest = Buffer.from(sha256, 'hex')
  const etag = `"${digest.toString('base64url')}"`
  const rangeHeader = request.headers.get('range')
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': file.modifiedAt.toUTCString(),
    'Content-Disposition': contentDisposition(served.filename),
    'Content-Type': 'application/octet-stream',
    'Repr-Digest': `sha-256=:${digest.toString('base64')}:`,
    'Cache-Control': 'private, no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  }
  const closeThen = (status: number) => async (delivery: Delivery) => {
    await file.handle.close()
    await onDelivered({ status, bytesSent: delivery.bytesSent, range: rangeHeader })
  }
  try {
    if (matchesEtag(request.headers.get('if-none-match'), etag)) {
      return { ...emptyResponse(304, headers), done: closeThen(304) }
    }
    // If-Range with anything but our strong ETag (a date, another tag) means: send everything.
    const ifRange = request.headers.get('if-range')
    const honourRange = ifRange === null || ifRange === etag
    const range = honourRange ? parseRange(rangeHeader ?? undefined, file.size) : ({ kind: 'full' } as const)
    if (range.kind === 'unsatisfiable') {
      throw new AppError('RANGE_NOT_SATISFIABLE', `the range is past the end of the file (${file.size} bytes)`, {
        headers: { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes */${file.size}` },
      })
    }
    const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, file.size - 1, 200]
    const length = Math.max(0, end - start + 1)
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`
    headers['Content-Length'] = String(length)
    const done = closeThen(status)
    if (request.method === 'HEAD' || length === 0) return { ...emptyResponse(status, headers), done }
    return { status, headers, body: { kind: 'file', file, start, length }, done }
  } catch (error) {
    await file.handle.close()
    throw error
  }
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

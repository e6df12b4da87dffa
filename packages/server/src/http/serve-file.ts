import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError } from '../errors.ts'
import type { OpenedFile } from '../storage/opened-file.ts'
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

// Large reads keep syscalls and event-loop turns per byte low on fast links.
const READ_CHUNK = 1024 * 1024

/**
 * Answers GET/HEAD for a stored file with validators, Range and a representation digest.
 * The handle was opened and fstat'ed before this; bytes come from that same handle, so a
 * file replaced on disk meanwhile cannot mix into the response. Closes the handle. A range past
 * the end is thrown as RANGE_NOT_SATISFIABLE (416, with a Content-Range naming the size).
 */
export async function serveFile(req: IncomingMessage, res: ServerResponse, served: ServedFile): Promise<ServeOutcome> {
  const { file, sha256 } = served
  const digest = Buffer.from(sha256, 'hex')
  const etag = `"${digest.toString('base64url')}"`
  const rangeHeader = req.headers.range ?? null
  const headers: Record<string, string | number> = {
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
  try {
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end()
      return { status: 304, bytesSent: 0, range: rangeHeader }
    }
    // If-Range with anything but our strong ETag (a date, another tag) means: send everything.
    const ifRange = req.headers['if-range']
    const honourRange = ifRange === undefined || ifRange === etag
    const range = honourRange ? parseRange(rangeHeader ?? undefined, file.size) : ({ kind: 'full' } as const)
    if (range.kind === 'unsatisfiable') {
      throw new AppError('RANGE_NOT_SATISFIABLE', `the range is past the end of the file (${file.size} bytes)`, {
        headers: { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes */${file.size}` },
      })
    }
    const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, file.size - 1, 200]
    const length = end - start + 1
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`
    headers['Content-Length'] = Math.max(0, length)
    res.writeHead(status, headers)
    if (req.method === 'HEAD' || length <= 0) {
      res.end()
      return { status, bytesSent: 0, range: rangeHeader }
    }
    const bytesSent = await streamRange(file, res, start, length)
    return { status, bytesSent, range: rangeHeader }
  } finally {
    await file.handle.close()
  }
}

// A few reusable buffers: fresh 1 MiB allocations per chunk cost page faults and GC, and
// bounding the buffers in flight bounds memory per download.
const BUFFERS_IN_FLIGHT = 4

/**
 * Copies [start, start + length) from the open handle to the response with backpressure:
 * each buffer is reused only after the socket has taken its previous contents. Stops when
 * the client goes away. Returns the bytes handed to the socket.
 */
async function streamRange(file: OpenedFile, res: ServerResponse, start: number, length: number): Promise<number> {
  const size = Math.min(READ_CHUNK, length)
  const buffers = Array.from({ length: Math.min(BUFFERS_IN_FLIGHT, Math.ceil(length / size)) }, () => Buffer.allocUnsafeSlow(size))
  const pending: (Promise<void> | undefined)[] = buffers.map(() => undefined)
  let closed = false
  const onClose = () => (closed = true)
  res.once('close', onClose)
  let sent = 0
  try {
    for (let i = 0; sent < length && !closed; i = (i + 1) % buffers.length) {
      await pending[i]
      if (closed) break
      const buffer = buffers[i]!
      const { bytesRead } = await file.handle.read(buffer, 0, Math.min(size, length - sent), start + sent)
      if (bytesRead === 0) break // the file shrank under us; the client sees a short body
      const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead)
      pending[i] = new Promise<void>((resolve) => res.write(chunk, () => resolve()))
      sent += bytesRead
      // Honour backpressure: wait for the socket to drain before reading further ahead.
      if (res.writableNeedDrain) await drainedOrClosed(res)
    }
    if (!closed) {
      await new Promise<void>((resolve) => {
        res.once('close', resolve)
        res.end(resolve)
      })
    }
  } finally {
    res.off('close', onClose)
  }
  return sent
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.once('drain', done)
    res.once('close', done)
  })
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

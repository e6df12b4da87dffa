import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { OpenedFile } from '../datasets/store.ts'
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
 * file replaced on disk meanwhile cannot mix into the response. Closes the handle.
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
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${file.size}`, 'Content-Length': 0 }).end()
      return { status: 416, bytesSent: 0, range: rangeHeader }
    }
    const [start, end, status] =
      range.kind === 'partial' ? [range.start, range.end, 206] : [0, file.size - 1, 200]
    const length = end - start + 1
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`
    headers['Content-Length'] = Math.max(0, length)
    res.writeHead(status, headers)
    if (req.method === 'HEAD' || length <= 0) {
      res.end()
      return { status, bytesSent: 0, range: rangeHeader }
    }
    let bytesSent = 0
    const source = file.handle.createReadStream({ start, end, autoClose: false, highWaterMark: READ_CHUNK })
    // Counted as chunks are handed to the response; a Transform stage here cost throughput.
    source.on('data', (chunk: string | Buffer) => {
      bytesSent += chunk.length
    })
    try {
      // pipeline applies backpressure and tears the read down when the client goes away.
      await pipeline(source, res)
    } catch {
      // A client that disconnects mid-way is normal (resume later); the log row says how far it got.
    }
    return { status, bytesSent, range: rangeHeader }
  } finally {
    await file.handle.close()
  }
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

// A plain Node HTTP server in front of a WHATWG fetch handler, as a host would run one: tests
// and benchmarks reach the fetch adapter over real HTTP through it.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { drainedOrClosed } from './http/file-body.ts'

/**
 * A Node request listener that calls `handle` with a Request and writes its Response back, with
 * backpressure. `lend: false` reads byte streams with a default reader, as most hosts do.
 */
export function fetchListener(handle: (request: Request) => Promise<Response>, options: { lend?: boolean } = {}): RequestListener {
  const lend = options.lend ?? true
  return (req, res) => {
    const controller = new AbortController()
    res.once('close', () => !res.writableFinished && controller.abort())
    handle(toRequest(req, controller.signal)).then(
      (response) => writeResponse(req, res, response, lend),
      () => res.writeHead(500).end(),
    )
  }
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const method = req.method ?? 'GET'
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method,
    headers,
    signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit)
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response, lend: boolean) {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => (headers[name] = value))
  const cookies = response.headers.getSetCookie()
  if (cookies.length) headers['set-cookie'] = cookies
  res.writeHead(response.status, headers)
  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel()
    res.end()
    return
  }
  try {
    await (lend && isByteStream(response.body) ? copyLending(response.body, res) : copyChunks(response.body, res))
    if (!res.destroyed) res.end()
  } catch {
    res.destroy()
  }
}

function isByteStream(stream: ReadableStream<Uint8Array>): boolean {
  try {
    stream.getReader({ mode: 'byob' }).releaseLock()
    return true
  } catch {
    return false
  }
}

async function copyChunks(body: ReadableStream<Uint8Array>, res: ServerResponse) {
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    if (!res.write(value)) await drainedOrClosed(res)
    if (res.destroyed) return void (await reader.cancel())
  }
}

// A byte stream (file answers) is read with a BYOB reader into a few buffers this server
// lends and takes back once the socket has them: no allocation per chunk.
const LENT_BUFFERS = 4
const LENT_SIZE = 1024 * 1024

async function copyLending(body: ReadableStream<Uint8Array>, res: ServerResponse) {
  const reader = body.getReader({ mode: 'byob' })
  const buffers = Array.from({ length: LENT_BUFFERS }, () => new ArrayBuffer(LENT_SIZE))
  const written: (Promise<void> | undefined)[] = buffers.map(() => undefined)
  for (let i = 0; ; i = (i + 1) % LENT_BUFFERS) {
    await written[i]
    const { done, value } = await reader.read(new Uint8Array(buffers[i]!))
    if (done) return
    // The read hands the buffer back (transferred): it is lent again once the socket took it.
    buffers[i] = value.buffer as ArrayBuffer
    written[i] = new Promise<void>((resolve) => res.write(value, () => resolve()))
    if (res.writableNeedDrain) await drainedOrClosed(res)
    if (res.destroyed) return void (await reader.cancel())
  }
}

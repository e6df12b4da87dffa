// A plain Node HTTP server in front of a WHATWG fetch handler, as a host would run one: tests
// and benchmarks reach the fetch adapter over real HTTP through it.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

/** A Node request listener that calls `handle` with a Request and writes its Response back, with backpressure. */
export function fetchListener(handle: (request: Request) => Promise<Response>): RequestListener {
  return (req, res) => {
    const controller = new AbortController()
    res.once('close', () => !res.writableFinished && controller.abort())
    handle(toRequest(req, controller.signal)).then(
      (response) => writeResponse(req, res, response),
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

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response) {
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
  const reader = response.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!res.write(value)) await drained(res)
      if (res.destroyed) {
        await reader.cancel()
        return
      }
    }
    res.end()
  } catch {
    res.destroy()
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.once('drain', done)
    res.once('close', done)
  })
}

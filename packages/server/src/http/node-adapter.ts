import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHTTPHandler } from '@trpc/server/adapters/standalone'
import type { HostRequest } from '../auth/caller.ts'
import { appRouter } from '../router.ts'
import type { HttpCore } from './app.ts'
import { finish, type Delivery, type PlainRequest, type PlainResponse } from './exchange.ts'
import { writeFileRange } from './file-body.ts'
import { logRequest } from './respond.ts'

/**
 * The Node adapter: an `http` request listener. The IncomingMessage itself is the body routes
 * read; file answers are copied through a few reused buffers (see writeFileRange).
 */
export function nodeListener(core: HttpCore): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger } = core.deps
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: `${core.trpcEndpoint}/`,
    createContext: ({ req }) => core.createContext(nodeHostRequest(req)),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path }, 'tRPC procedure failed')
    },
  })
  return (req, res) => {
    const started = performance.now()
    res.once('close', core.enter())
    const url = nodeUrl(req)
    res.once('finish', () => logRequest(logger, req.method ?? 'GET', url, res.statusCode, started))
    const path = core.pathBelow(url.pathname)
    if (path?.startsWith('/trpc/') && !core.refusal) {
      trpc(req, res)
      return
    }
    const request = plainRequest(req, res, url, path)
    core.dispatch(request).then(
      (response) => send(req, res, request, response, (error) => logger.error({ err: error }, 'after an answer')),
      (error: unknown) => {
        logger.error({ err: error }, 'request failed outside the dispatcher')
        res.destroy()
      },
    )
  }
}

/** The request's URL as the client addressed it (Host header; plain http, as Node serves it). */
function nodeUrl(req: IncomingMessage): URL {
  const path = req.url ?? '/'
  try {
    return new URL(path, `http://${req.headers.host ?? 'localhost'}`)
  } catch {
    return new URL(path.startsWith('/') ? path : '/', 'http://localhost')
  }
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers()
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!)
    } catch {
      // A header value WHATWG refuses (Node is more lenient) is left out.
    }
  }
  return headers
}

function nodeHostRequest(req: IncomingMessage): HostRequest {
  return { method: req.method ?? 'GET', url: nodeUrl(req), headers: headersOf(req) }
}

function plainRequest(req: IncomingMessage, res: ServerResponse, url: URL, path: string | undefined): PlainRequest {
  const controller = new AbortController()
  // The client is gone when the request breaks off before its end, or the answer before its own.
  const requestGone = () => !req.complete && controller.abort()
  req.once('error', requestGone)
  req.once('close', requestGone)
  res.once('close', () => !res.writableFinished && controller.abort())
  return {
    method: req.method ?? 'GET',
    url,
    path: path ?? '',
    headers: headersOf(req),
    body: req,
    signal: controller.signal,
    cut() {
      controller.abort()
      req.destroy()
    },
    bodyComplete: () => req.complete,
  }
}

/**
 * Writes the answer. A request whose body is still arriving is not read on: the answer says
 * `Connection: close` and the connection ends once it is sent, so an unwanted upload costs
 * nothing more. (`complete` is false while body bytes are still on the wire; once they all
 * arrived, Node discards what the route did not read, and the connection can be kept.)
 */
async function send(
  req: IncomingMessage,
  res: ServerResponse,
  request: PlainRequest,
  response: PlainResponse,
  onError: (error: unknown) => void,
) {
  const delivery: Delivery = { bytesSent: 0, complete: false }
  try {
    if (res.destroyed || res.headersSent) {
      res.destroy()
      return
    }
    const bodyPending = !request.bodyComplete()
    res.writeHead(response.status, bodyPending ? { ...response.headers, Connection: 'close' } : response.headers)
    if (bodyPending) res.once('finish', () => req.destroy())
    const { body } = response
    if (request.method === 'HEAD' || body.kind === 'empty') {
      delivery.complete = await end(res)
    } else if (body.kind === 'bytes') {
      delivery.bytesSent = body.bytes.length
      delivery.complete = await end(res, body.bytes)
    } else {
      delivery.bytesSent = await writeFileRange(body, res)
      // Short: the client left, or the file shrank under us. Either way the body cannot be completed.
      if (delivery.bytesSent < body.length) res.destroy()
      else delivery.complete = await end(res)
    }
  } catch (error) {
    onError(error)
    res.destroy()
  } finally {
    finish(response, delivery, onError)
  }
}

/** Ends the answer; true once all of it was handed to the socket, false if the connection went first. */
function end(res: ServerResponse, last?: Uint8Array): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    res.once('close', () => resolve(res.writableFinished))
    res.end(last, () => resolve(true))
  })
}

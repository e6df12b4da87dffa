import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { appRouter } from '../router.ts'
import type { HttpCore } from './app.ts'
import { finish, type PlainRequest, type PlainResponse } from './exchange.ts'
import { fileRangeStream } from './file-body.ts'
import { logRequest } from './respond.ts'

/**
 * The WHATWG fetch adapter (Next.js route handlers, Hono, Bun, Deno): the Request's body stream
 * is the body routes read, and file answers are pull streams, so both directions move in
 * constant memory with the host's backpressure.
 */
export function fetchHandler(core: HttpCore): (request: Request) => Promise<Response> {
  const { logger } = core.deps
  return async (request) => {
    const started = performance.now()
    const leave = core.enter()
    let streaming = false
    try {
      const url = new URL(request.url)
      const path = core.pathBelow(url.pathname)
      if (path?.startsWith('/trpc/') && !core.refusal) {
        const answer = await fetchRequestHandler({
          endpoint: core.trpcEndpoint,
          req: request,
          router: appRouter,
          createContext: ({ req }) => core.createContext({ method: req.method, url, headers: req.headers }),
          onError({ error, path: procedure }) {
            if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path: procedure }, 'tRPC procedure failed')
          },
        })
        logRequest(logger, request.method, url, answer.status, started)
        return answer
      }
      const plain = plainRequest(request, url, path)
      const response = await core.dispatch(plain)
      logRequest(logger, request.method, url, response.status, started)
      streaming = response.body.kind === 'file' && request.method !== 'HEAD'
      return toResponse(plain, response, leave, (error) => logger.error({ err: error }, 'after an answer'))
    } finally {
      if (!streaming) leave()
    }
  }
}

function plainRequest(request: Request, url: URL, path: string | undefined): PlainRequest {
  const own = new AbortController()
  const signal = AbortSignal.any([request.signal, own.signal])
  const state = { complete: request.body === null }
  return {
    method: request.method,
    url,
    path: path ?? '',
    headers: request.headers,
    body: bodyOf(request.body, signal, state),
    signal,
    cut: () => own.abort(new Error('the exchange was cut')),
    bodyComplete: () => state.complete,
  }
}

/**
 * The Request body as an async iterable that fails once the exchange is aborted (a cancelled
 * reader would otherwise look like the body's normal end), and cancels the stream when its
 * reader stops early, so the host stops receiving an upload nobody reads.
 */
async function* bodyOf(stream: ReadableStream<Uint8Array> | null, signal: AbortSignal, state: { complete: boolean }) {
  if (!stream) return
  const reader = stream.getReader()
  const onAbort = () => void reader.cancel(signal.reason).catch(() => {})
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the request was aborted')
      if (done) {
        state.complete = true
        return
      }
      yield value
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    if (!state.complete) await reader.cancel().catch(() => {})
    reader.releaseLock()
  }
}

function toResponse(request: PlainRequest, response: PlainResponse, leave: () => void, onError: (error: unknown) => void): Response {
  const { status, headers, body } = response
  if (request.method === 'HEAD' || body.kind === 'empty') {
    finish(response, { bytesSent: 0, complete: true }, onError)
    return new Response(null, { status, headers })
  }
  if (body.kind === 'bytes') {
    finish(response, { bytesSent: body.bytes.length, complete: true }, onError)
    return new Response(body.bytes, { status, headers })
  }
  const stream = fileRangeStream(body, (bytesSent, complete) => {
    leave()
    finish(response, { bytesSent, complete }, onError)
  })
  return new Response(stream, { status, headers })
}

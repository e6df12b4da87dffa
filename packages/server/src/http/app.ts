import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHTTPHandler } from '@trpc/server/adapters/standalone'
import { createContextFactory, type ServerDeps } from '../context.ts'
import { redactUrl } from '../logger.ts'
import { appRouter } from '../router.ts'
import { artifactRoutes } from '../artifacts/routes.ts'
import { downloadRoute } from '../datasets/download-route.ts'
import { uploadRoute } from '../datasets/upload-route.ts'
import { podEventsRoute } from '../pod/events-route.ts'
import { healthRoute } from './health.ts'
import { jwksRoute } from './jwks.ts'
import { AppError } from '../errors.ts'
import { failRequest } from './respond.ts'
import { matchRoute, type HttpRoute } from './route.ts'
import { createStaticHandler } from './static-files.ts'

export interface RequestHandlerOptions {
  /** Built admin app to serve at `/`. */
  adminDir?: string | undefined
  /** More plain-HTTP routes (pod endpoints, uploads, downloads). */
  routes?: readonly HttpRoute[]
}

/** One node request listener for everything: tRPC at /trpc, plain HTTP routes, the admin app. */
export function createRequestHandler(deps: ServerDeps, options: RequestHandlerOptions = {}) {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: createContextFactory(deps),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') deps.logger.error({ err: error, path }, 'tRPC procedure failed')
    },
  })
  const routes: HttpRoute[] = [
    healthRoute(deps),
    jwksRoute(deps),
    downloadRoute(deps),
    uploadRoute(deps),
    podEventsRoute(deps),
    ...artifactRoutes(deps),
    ...(options.routes ?? []),
  ]
  const serveStatic = options.adminDir ? createStaticHandler(options.adminDir) : undefined

  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now()
    res.on('finish', () => {
      deps.logger.info(
        { method: req.method, url: redactUrl(req.url ?? ''), status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      )
    })
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (url.pathname.startsWith('/trpc/')) return trpc(req, res)
      const method = req.method ?? 'GET'
      const match = matchRoute(routes, method, url.pathname)
      if (match && 'allow' in match) {
        throw new AppError('METHOD_NOT_ALLOWED', `${method} is not allowed here`, { headers: { Allow: match.allow.join(', ') } })
      }
      if (match) return await match.route.handle(req, res, match.params, url)
      if ((method === 'GET' || method === 'HEAD') && serveStatic && !url.pathname.startsWith('/v1/')) {
        if (await serveStatic(url.pathname, res, method === 'HEAD')) return
      }
      throw new AppError('NOT_FOUND', 'no such endpoint')
    } catch (error) {
      failRequest(deps.logger, req, res, error)
    }
  }
}

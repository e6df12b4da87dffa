import { createCallerIdentifier, type CallerOptions } from '../auth/caller.ts'
import { artifactRoutes } from '../artifacts/routes.ts'
import { createContextFactory, type ServerDeps } from '../context.ts'
import { downloadRoute } from '../datasets/download-route.ts'
import { uploadRoute } from '../datasets/upload-route.ts'
import { AppError } from '../errors.ts'
import { podEventsRoute } from '../pod/events-route.ts'
import type { PlainRequest, PlainResponse } from './exchange.ts'
import { fetchHandler } from './fetch-adapter.ts'
import { healthRoute } from './health.ts'
import { jwksRoute } from './jwks.ts'
import { nodeListener } from './node-adapter.ts'
import { failRequest } from './respond.ts'
import { matchRoute, type HttpRoute } from './route.ts'
import { createStaticHandler } from './static-files.ts'

export interface RequestHandlerOptions extends CallerOptions {
  /** Built admin app to serve at the basePath's root. */
  adminDir?: string | undefined
  /** More plain-HTTP routes. */
  routes?: readonly HttpRoute[]
}

/**
 * What both adapters share: one set of routes (and with them one registry of uploads in
 * flight), the tRPC context, the mount's paths, and the count of requests in flight for draining.
 */
export interface HttpCore {
  deps: ServerDeps
  basePath: string
  /** `${basePath}/trpc`: tRPC answers below it through its own adapter for each side. */
  trpcEndpoint: string
  createContext: ReturnType<typeof createContextFactory>
  /** The path below the basePath, or undefined when `pathname` is outside the mount. */
  pathBelow(pathname: string): string | undefined
  /** Answers a plain request (never throws: failures become error answers here). */
  dispatch(request: PlainRequest): Promise<PlainResponse>
  /** Counts a request in flight until the returned function is called. */
  enter(): () => void
  /** Resolves once no request is in flight. */
  idle(): Promise<void>
  /** While set, new requests are answered 503 with this (the server is starting or stopping). */
  refusal: AppError | undefined
}

export function createHttpCore(deps: ServerDeps, options: RequestHandlerOptions = {}): HttpCore {
  const basePath = deps.config.basePath
  const identify = createCallerIdentifier(deps, options)
  const routes: HttpRoute[] = [
    healthRoute(deps),
    jwksRoute(deps),
    downloadRoute(deps),
    uploadRoute(deps, identify),
    podEventsRoute(deps),
    ...artifactRoutes(deps),
    ...(options.routes ?? []),
  ]
  const serveStatic = options.adminDir ? createStaticHandler(options.adminDir, basePath) : undefined
  let inFlight = 0
  const waiters: (() => void)[] = []

  const core: HttpCore = {
    deps,
    basePath,
    trpcEndpoint: `${basePath}/trpc`,
    createContext: createContextFactory(deps, identify),
    refusal: undefined,
    pathBelow(pathname) {
      if (basePath === '') return pathname
      if (pathname === basePath) return '/'
      return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined
    },
    async dispatch(request) {
      try {
        if (core.refusal) throw core.refusal
        const { method, path } = request
        if (!path.startsWith('/')) throw new AppError('NOT_FOUND', 'no such endpoint')
        const match = matchRoute(routes, method, path)
        if (match && 'allow' in match) {
          throw new AppError('METHOD_NOT_ALLOWED', `${method} is not allowed here`, { headers: { Allow: match.allow.join(', ') } })
        }
        if (match) return await match.route.handle(request, match.params)
        if ((method === 'GET' || method === 'HEAD') && serveStatic && !path.startsWith('/v1/')) {
          const served = await serveStatic(path, method === 'HEAD')
          if (served) return served
        }
        throw new AppError('NOT_FOUND', 'no such endpoint')
      } catch (error) {
        return failRequest(deps.logger, request, error)
      }
    },
    enter() {
      inFlight++
      let left = false
      return () => {
        if (left) return
        left = true
        if (--inFlight === 0) for (const wake of waiters.splice(0)) wake()
      }
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))
    },
  }
  return core
}

/** A Node request listener for everything: tRPC, the plain routes, the admin app. */
export function createRequestHandler(deps: ServerDeps, options: RequestHandlerOptions = {}) {
  return nodeListener(createHttpCore(deps, options))
}

/** A WHATWG fetch handler for everything (the same routes as createRequestHandler). */
export function createFetchHandler(deps: ServerDeps, options: RequestHandlerOptions = {}) {
  return fetchHandler(createHttpCore(deps, options))
}

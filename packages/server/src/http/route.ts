import type { PlainRequest, PlainResponse } from './exchange.ts'

/**
 * A plain-HTTP route, written once for both adapters. `handle` returns the answer, or throws
 * an AppError (or a TokenError) for the dispatcher to answer: routes never write errors themselves.
 */
export interface HttpRoute {
  methods: readonly string[]
  /** An exact path (below the basePath), or a pattern whose named groups become params. */
  path: string | RegExp
  handle(request: PlainRequest, params: Record<string, string>): Promise<PlainResponse> | PlainResponse
}

export type RouteMatch =
  | { route: HttpRoute; params: Record<string, string> }
  /** The path exists, not for this method: these are the methods it takes. */
  | { allow: readonly string[] }
  | undefined

export function matchRoute(routes: readonly HttpRoute[], method: string, pathname: string): RouteMatch {
  const allow = new Set<string>()
  for (const route of routes) {
    const params = matchPath(route.path, pathname)
    if (!params) continue
    if (route.methods.includes(method)) return { route, params }
    for (const allowed of route.methods) allow.add(allowed)
  }
  return allow.size ? { allow: [...allow] } : undefined
}

function matchPath(path: string | RegExp, pathname: string): Record<string, string> | undefined {
  if (typeof path === 'string') return path === pathname ? {} : undefined
  const match = path.exec(pathname)
  return match ? { ...match.groups } : undefined
}

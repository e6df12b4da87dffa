import type { IncomingMessage, ServerResponse } from 'node:http'

export interface HttpRoute {
  methods: readonly string[]
  /** An exact path, or a pattern whose named groups become params. */
  path: string | RegExp
  handle(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, url: URL): Promise<void> | void
}

export function matchRoute(routes: readonly HttpRoute[], method: string, pathname: string) {
  let pathMatched = false
  for (const route of routes) {
    const params = matchPath(route.path, pathname)
    if (!params) continue
    pathMatched = true
    if (route.methods.includes(method)) return { route, params }
  }
  return pathMatched ? 'method-not-allowed' : undefined
}

function matchPath(path: string | RegExp, pathname: string): Record<string, string> | undefined {
  if (typeof path === 'string') return path === pathname ? {} : undefined
  const match = path.exec(pathname)
  return match ? { ...match.groups } : undefined
}

export type Route =
  | { name: 'deployments' }
  | { name: 'new-deployment' }
  | { name: 'deployment'; id: string }
  | { name: 'datasets' }
  | { name: 'api-keys' }
  | { name: 'not-found'; path: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Path routes: the server falls back to index.html for unknown paths, so deep links work. */
export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/' || path === '/deployments') return { name: 'deployments' }
  if (path === '/deployments/new') return { name: 'new-deployment' }
  if (path === '/datasets') return { name: 'datasets' }
  if (path === '/api-keys') return { name: 'api-keys' }
  const detail = /^\/deployments\/([^/]+)$/.exec(path)
  if (detail?.[1] && UUID.test(detail[1])) return { name: 'deployment', id: detail[1].toLowerCase() }
  return { name: 'not-found', path }
}

export function hrefOf(route: Exclude<Route, { name: 'not-found' }>): string {
  switch (route.name) {
    case 'deployments':
      return '/deployments'
    case 'new-deployment':
      return '/deployments/new'
    case 'deployment':
      return `/deployments/${route.id}`
    case 'datasets':
      return '/datasets'
    case 'api-keys':
      return '/api-keys'
  }
}

/**
 * The app's own path of a location path, when the server mounts the app under a basePath
 * (e.g. `/api/podlaunch`); `basePath` is '' at the root.
 */
export function appPath(pathname: string, basePath: string): string {
  if (!basePath) return pathname
  if (pathname === basePath) return '/'
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : pathname
}

/** Where the server mounts the app: the basePath it writes into index.html, '' without one (the dev server). */
export function mountedBasePath(doc: Pick<Document, 'querySelector'>): string {
  return doc.querySelector<HTMLMetaElement>('meta[name="podlaunch-base-path"]')?.content ?? ''
}

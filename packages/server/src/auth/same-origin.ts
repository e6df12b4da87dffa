import { AppError } from '../errors.ts'
import type { HostRequest } from './caller.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses a state-changing request that a browser sent from another site. A host session rides
 * along with every request the browser makes (a cookie), so a page on another origin could
 * otherwise act for the user. Browsers say where a request came from: `Sec-Fetch-Site` (which
 * page scripts cannot set), else `Origin`. A request carrying cookies that says neither is
 * refused too; one with neither and no cookie is no browser's and has no ambient session to abuse.
 */
export function assertSameOrigin(request: HostRequest, trustedOrigins: ReadonlySet<string>): void {
  if (SAFE_METHODS.has(request.method)) return
  const origin = request.headers.get('origin')
  const site = request.headers.get('sec-fetch-site')
  if (site !== null) {
    // Another site the host named (a sibling app) is let through; any other is not.
    if (site === 'same-origin' || site === 'none' || (origin !== null && trustedOrigins.has(origin))) return
    throw crossSite(`a ${site} request`)
  }
  if (origin !== null) {
    if (origin === request.url.origin || trustedOrigins.has(origin)) return
    throw crossSite('a request from another origin')
  }
  if (request.headers.has('cookie')) throw crossSite('a request with cookies and no Origin')
}

function crossSite(what: string): AppError<'FORBIDDEN'> {
  return new AppError('FORBIDDEN', `${what} may not change anything with this session; send it from this site's own pages`)
}

import type { ServerDeps } from '../context.ts'
import { jsonResponse } from './exchange.ts'
import type { HttpRoute } from './route.ts'

/** Public keys, so other services can verify our tokens. */
export function jwksRoute(deps: Pick<ServerDeps, 'keyring'>): HttpRoute {
  return {
    methods: ['GET', 'HEAD'],
    path: '/.well-known/jwks.json',
    handle: () => jsonResponse(200, deps.keyring.publicJwks(), { 'Cache-Control': 'public, max-age=300' }),
  }
}

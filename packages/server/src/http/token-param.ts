import type { IncomingMessage } from 'node:http'
import { bearerToken } from '../auth/api-key.ts'

/** A token from `?token=` or, failing that, `Authorization: Bearer`. */
export function tokenFromRequest(req: IncomingMessage, url: URL): string | undefined {
  return url.searchParams.get('token') ?? bearerToken(req.headers.authorization)
}

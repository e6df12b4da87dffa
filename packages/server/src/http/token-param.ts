import { bearerToken } from '../auth/api-key.ts'
import type { PlainRequest } from './exchange.ts'

/**
 * A token from `?token=` or, failing that, `Authorization: Bearer`.
 * Only the literal parameter name counts: log redaction (redactUrl) matches `token=` as written,
 * so a spelling that decodes to the same name (`%74oken=`) would reach the logs in clear.
 */
export function tokenFromRequest(request: Pick<PlainRequest, 'url' | 'headers'>): string | undefined {
  for (const pair of request.url.search.slice(1).split('&')) {
    if (!pair.startsWith('token=')) continue
    const raw = pair.slice('token='.length)
    try {
      return decodeURIComponent(raw.replace(/\+/g, ' '))
    } catch {
      return raw // not valid percent-encoding: verification refuses it as malformed
    }
  }
  return bearerToken(request.headers.get('authorization') ?? undefined)
}

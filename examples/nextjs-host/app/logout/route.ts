import { clearedSessionCookie } from '../../lib/session.ts'

export const runtime = 'nodejs'

export function POST(): Response {
  return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': clearedSessionCookie() } })
}

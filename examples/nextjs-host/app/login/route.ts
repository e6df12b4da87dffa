import { env } from '../../lib/env.ts'
import { isValidName, sessionCookie } from '../../lib/session.ts'

export const runtime = 'nodejs'

/** The demo login form posts here: any valid name with the shared demo password. */
export async function POST(request: Request): Promise<Response> {
  const form = await request.formData()
  const name = String(form.get('name') ?? '')
    .trim()
    .toLowerCase()
  const password = String(form.get('password') ?? '')
  if (!isValidName(name) || password !== env().demoPassword) {
    return new Response('wrong name or password', { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  }
  return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': sessionCookie(name) } })
}

// This app's own minimal login: a signed cookie naming the user. (A real product has its own
// sessions already; podlaunch only needs the `authenticate` hook below to read them.)
import { createHmac, timingSafeEqual } from 'node:crypto'
import { env } from './env.ts'

export const SESSION_COOKIE = 'host_session'
const NAME = /^[a-z][a-z0-9_-]{0,31}$/

export interface SessionUser {
  name: string
}

function sign(name: string): string {
  return createHmac('sha256', env().sessionSecret).update(`session:${name}`).digest('base64url')
}

export function isValidName(name: string): boolean {
  return NAME.test(name)
}

/** The Set-Cookie value of a session for `name` (HttpOnly, SameSite=Lax, eight hours). */
export function sessionCookie(name: string): string {
  const secure = env().publicUrl.startsWith('https://') ? '; Secure' : ''
  return `${SESSION_COOKIE}=${name}.${sign(name)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=28800${secure}`
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
}

/** The signed-in user of a Cookie header, or undefined. */
export function sessionUser(cookieHeader: string | null | undefined): SessionUser | undefined {
  const value = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`).exec(cookieHeader ?? '')?.[1]
  const [name = '', signature = ''] = (value ?? '').split('.')
  if (!isValidName(name)) return undefined
  const expected = Buffer.from(sign(name))
  const given = Buffer.from(signature)
  return given.length === expected.length && timingSafeEqual(given, expected) ? { name } : undefined
}

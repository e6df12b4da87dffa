import { createHash, randomBytes } from 'node:crypto'

// `pl_` + 43 base64url characters (32 random bytes). Anything else is refused before a lookup.
const API_KEY_PATTERN = /^pl_[A-Za-z0-9_-]{43}$/
const PREFIX_LENGTH = 10

export interface GeneratedApiKey {
  key: string
  hash: string
  prefix: string
}

export function generateApiKey(): GeneratedApiKey {
  const key = `pl_${randomBytes(32).toString('base64url')}`
  return { key, hash: hashApiKey(key), prefix: apiKeyPrefix(key) }
}

export function isWellFormedApiKey(key: string): boolean {
  return API_KEY_PATTERN.test(key)
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH)
}

/** The bearer credential of an Authorization header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header
  const match = value?.match(/^Bearer +(\S+) *$/i)
  return match?.[1]
}

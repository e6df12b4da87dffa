// Verification order matters: cheap shape checks before any parsing; alg and kid before any
// crypto; the signature before any claim is believed. TOKEN_WRONG_AUDIENCE is only ever given
// for a token whose signature verified, so it reveals nothing about forged input.
import { compactVerify, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose'
import type { TokenClaims, TokenKind } from '@podlaunch/contract'
import { TokenError } from './errors.ts'
import { verificationKeyOf, type Keyring } from './keyring.ts'
import { CLOCK_SKEW_SECONDS, MAX_TOKEN_LENGTH, MAX_TOKEN_TTL_SECONDS, TOKEN_ALGORITHM } from './limits.ts'
import { pickKindClaims, tokenKindSpec } from './kind-claims.ts'

export interface VerifyTokenOptions {
  /** Expected `iss`, exact match. */
  issuer: string
  /** Clock. Default: () => new Date(). */
  now?: (() => Date) | undefined
}

export interface VerifiedToken<K extends TokenKind> {
  kind: K
  /** kid of the key that verified the signature. */
  kid: string
  issuer: string
  audience: string
  subject: string
  jti: string
  issuedAt: Date
  notBefore: Date
  expiresAt: Date
  claims: TokenClaims<K>
}

/** Three base64url segments separated by dots; anything else is refused before parsing. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

const ED25519_SIGNATURE = /^[A-Za-z0-9_-]{85}[AQgw]$/

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Verifies `token` as a token of `kind`. Throws TokenError with code TOKEN_MISSING,
 * TOKEN_MALFORMED, TOKEN_INVALID, TOKEN_EXPIRED or TOKEN_WRONG_AUDIENCE. Revocation is a
 * separate check (assertNotRevoked), because it needs the database.
 */
export async function verifyToken<K extends TokenKind>(
  keyring: Keyring,
  kind: K,
  token: string | null | undefined,
  options: VerifyTokenOptions,
): Promise<VerifiedToken<K>> {
  const spec = tokenKindSpec(kind)
  if (token === undefined || token === null || token === '') throw new TokenError('TOKEN_MISSING', 'token is missing')
  if (typeof token !== 'string') throw malformed('token must be a string')
  if (token.length > MAX_TOKEN_LENGTH) throw malformed(`token is longer than ${MAX_TOKEN_LENGTH} characters`)
  if (!TOKEN_SHAPE.test(token)) throw malformed('token must be three base64url segments separated by dots')

  let header: ProtectedHeaderParameters
  try {
    header = decodeProtectedHeader(token)
  } catch {
    throw malformed('token header cannot be decoded')
  }
  if (header.alg !== TOKEN_ALGORITHM) throw invalid(`alg must be ${TOKEN_ALGORITHM}`)
  // Extensions (crit, b64:false) change how the signature is computed; our tokens use none.
  if (header.crit !== undefined || header.b64 !== undefined) throw invalid('header extensions are not accepted')
  // An Ed25519 signature is 64 bytes: 86 base64url characters whose last one carries 4 unused
  // bits. Requiring those bits to be zero keeps a token from having several valid spellings.
  if (!ED25519_SIGNATURE.test(token.slice(token.lastIndexOf('.') + 1))) throw invalid('signature has the wrong size or encoding')
  if (typeof header.kid !== 'string') throw invalid('kid is missing')
  const key = verificationKeyOf(keyring, header.kid)
  if (!key) throw invalid('kid is not in the keyring')

  let payloadBytes: Uint8Array
  try {
    payloadBytes = (await compactVerify(token, key, { algorithms: [TOKEN_ALGORITHM] })).payload
  } catch {
    throw invalid('signature verification failed')
  }
  const payload = parsePayload(payloadBytes)

  // Authentic from here on; now check it is ours, for this purpose, and current.
  if (payload.iss !== options.issuer) throw invalid('iss is missing or not the expected issuer')
  if (typeof payload.aud !== 'string') throw invalid('aud must be a single string')
  if (payload.aud !== spec.audience) throw new TokenError('TOKEN_WRONG_AUDIENCE', `token is not a ${kind} token`)
  if (header.typ !== spec.typ) throw invalid(`typ must be ${spec.typ}`)

  const { sub, jti, iat, nbf, exp } = payload
  if (!isNonEmptyString(sub)) throw invalid('sub is missing')
  if (!isNonEmptyString(jti)) throw invalid('jti is missing')
  if (!isNumericDate(iat)) throw invalid('iat is missing')
  if (!isNumericDate(nbf)) throw invalid('nbf is missing')
  if (!isNumericDate(exp)) throw invalid('exp is missing')
  if (exp <= iat || exp <= nbf) throw invalid('exp must be after iat and nbf')
  if (exp - iat > MAX_TOKEN_TTL_SECONDS || exp - nbf > MAX_TOKEN_TTL_SECONDS) {
    throw invalid(`token lifetime exceeds ${MAX_TOKEN_TTL_SECONDS} seconds`)
  }

  const nowMs = (options.now ?? (() => new Date()))().getTime()
  if (!Number.isFinite(nowMs)) throw new TypeError('now() must return a valid Date')
  const now = Math.floor(nowMs / 1000)
  if (iat > now + CLOCK_SKEW_SECONDS) throw invalid('iat is in the future')
  if (nbf > now + CLOCK_SKEW_SECONDS) throw invalid('token is not valid yet (nbf)')
  if (exp <= now - CLOCK_SKEW_SECONDS) throw new TokenError('TOKEN_EXPIRED', 'token has expired')

  const picked = pickKindClaims(spec, payload)
  if (!picked.ok) throw invalid(picked.problem)
  if (picked.claims[spec.subjectClaim] !== sub) throw invalid(`sub must equal ${spec.subjectClaim}`)

  return {
    kind,
    kid: header.kid,
    issuer: options.issuer,
    audience: spec.audience,
    subject: sub,
    jti,
    issuedAt: new Date(iat * 1000),
    notBefore: new Date(nbf * 1000),
    expiresAt: new Date(exp * 1000),
    // pickKindClaims checked every declared claim of this kind, so the shape is TokenClaims<K>.
    claims: picked.claims as TokenClaims<K>,
  }
}

function parsePayload(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(bytes))
  } catch {
    throw invalid('payload is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('payload is not a JSON object')
  return value as Record<string, unknown>
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function malformed(message: string): TokenError {
  return new TokenError('TOKEN_MALFORMED', message)
}

function invalid(message: string): TokenError {
  return new TokenError('TOKEN_INVALID', message)
}

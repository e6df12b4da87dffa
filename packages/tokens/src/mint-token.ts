import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import type { TokenClaims, TokenKind } from '@podlaunch/contract'
import { TokenError } from './errors.ts'
import { signingKeyOf, type Keyring } from './keyring.ts'
import { MAX_TOKEN_TTL_SECONDS, TOKEN_ALGORITHM } from './limits.ts'
import { pickKindClaims, tokenKindSpec } from './kind-claims.ts'

export interface MintTokenOptions<K extends TokenKind> {
  /** The `sub` claim; must equal the kind's subject claim (dataset_id, deployment_id, artifact_id). */
  subject: string
  /** The kind-specific claims; undeclared claims are refused. */
  claims: TokenClaims<K>
  /** Lifetime in whole seconds, 1..86400 (24 h). */
  ttlSeconds: number
  /** The `iss` claim, e.g. the server's public URL. */
  issuer: string
  /** Clock. Default: () => new Date(). */
  now?: (() => Date) | undefined
}

export interface MintedToken {
  token: string
  jti: string
  issuedAt: Date
  expiresAt: Date
}

/**
 * Signs a token of `kind` with the keyring's signing key. `iat` and `nbf` are now, `exp` is
 * now + ttlSeconds, `jti` is a random UUID (the revocation key).
 */
export async function mintToken<K extends TokenKind>(keyring: Keyring, kind: K, options: MintTokenOptions<K>): Promise<MintedToken> {
  const spec = tokenKindSpec(kind)
  const { ttlSeconds } = options
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
    throw new TokenError('TOKEN_TTL_OUT_OF_RANGE', `ttlSeconds must be a whole number from 1 to ${MAX_TOKEN_TTL_SECONDS}`)
  }
  if (typeof options.issuer !== 'string' || options.issuer.length === 0) {
    throw new TokenError('TOKEN_CLAIMS_INVALID', 'issuer must be a non-empty string')
  }
  const input: Readonly<Record<string, unknown>> = options.claims
  const undeclared = Object.keys(input).filter((name) => !Object.hasOwn(spec.claims, name))
  if (undeclared.length > 0) {
    throw new TokenError('TOKEN_CLAIMS_INVALID', `claims not declared for ${kind} tokens: ${undeclared.join(', ')}`)
  }
  const picked = pickKindClaims(spec, input)
  if (!picked.ok) throw new TokenError('TOKEN_CLAIMS_INVALID', picked.problem)
  if (options.subject !== picked.claims[spec.subjectClaim]) {
    throw new TokenError('TOKEN_CLAIMS_INVALID', `subject must equal claim ${spec.subjectClaim}`)
  }

  const nowMs = (options.now ?? (() => new Date()))().getTime()
  if (!Number.isFinite(nowMs)) throw new TypeError('now() must return a valid Date')
  const iat = Math.floor(nowMs / 1000)
  const exp = iat + ttlSeconds
  const jti = randomUUID()
  const { kid, privateKey } = signingKeyOf(keyring)
  const token = await new SignJWT(picked.claims)
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: spec.typ, kid })
    .setIssuer(options.issuer)
    .setAudience(spec.audience)
    .setSubject(options.subject)
    .setJti(jti)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .sign(privateKey)
  return { token, jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) }
}

// Parsing and checking Ed25519 key material. Every failure is a KeyConfigError naming the
// setting; no message and no `cause` carries the input, because parser messages (JSON.parse
// quotes its input) could echo key material into logs.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { calculateJwkThumbprint } from 'jose'
import { KeyConfigError } from './errors.ts'

/** A private Ed25519 key as a JWK (RFC 8037). */
export interface Ed25519PrivateJwk {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  d: string
  /** Optional; when present it must equal the RFC 7638 thumbprint. */
  kid?: string
}

/** The public half of an Ed25519 key, without metadata. */
export interface Ed25519PublicKey {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  /** Optional; when present it must equal the RFC 7638 thumbprint. */
  kid?: string
}

/** A published verification key, as it appears in the JWKS. */
export interface PublicJwk {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  kid: string
  alg: 'EdDSA'
  use: 'sig'
}

export interface PublicJwks {
  keys: PublicJwk[]
}

/** A new random Ed25519 signing key as a private JWK. */
export function generateSigningKey(): Ed25519PrivateJwk {
  const { privateKey } = generateKeyPairSync('ed25519')
  return privateJwkOf(privateKey)
}

/** RFC 7638 thumbprint (SHA-256) of the public key: the `kid` we sign and publish with. */
export function keyId(key: Ed25519PublicKey): Promise<string> {
  return calculateJwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x }, 'sha256')
}

/** Parses a signing key given as a private JWK (JSON) or a PKCS#8 PEM string. */
export function parseSigningKeyText(text: string, variable: string): Ed25519PrivateJwk {
  const trimmed = text.trim()
  if (trimmed.length === 0) throw new KeyConfigError(variable, 'is empty')
  if (trimmed.startsWith('-----BEGIN')) return parsePkcs8Pem(trimmed, variable)
  if (trimmed.startsWith('{')) return parseSigningJwk(parseJson(trimmed, variable), variable)
  throw new KeyConfigError(variable, 'must be a private Ed25519 JWK (JSON) or a PKCS#8 PEM')
}

/** Checks a private Ed25519 JWK: shape, canonical encoding, and that `x` belongs to `d`. */
export function parseSigningJwk(value: unknown, variable: string): Ed25519PrivateJwk {
  const jwk = checkEd25519Jwk(value, variable)
  if (typeof jwk.d !== 'string') throw new KeyConfigError(variable, 'must be a private key (JWK "d" missing)')
  checkBase64url32(jwk.d, variable, 'd')
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, format: 'jwk' })
  } catch {
    throw new KeyConfigError(variable, 'is not a usable Ed25519 private key')
  }
  if (privateJwkOf(privateKey).x !== jwk.x) {
    throw new KeyConfigError(variable, 'public part "x" does not belong to the private key')
  }
  return withKid({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, jwk.kid)
}

/** Parses a JWKS JSON string of public Ed25519 keys (earlier signing keys). */
export function parseVerificationKeysText(text: string, variable: string): Ed25519PublicKey[] {
  const trimmed = text.trim()
  if (trimmed.length === 0) throw new KeyConfigError(variable, 'is empty')
  const parsed = parseJson(trimmed, variable)
  if (!isRecord(parsed) || !Array.isArray(parsed.keys)) {
    throw new KeyConfigError(variable, 'must be a JWKS: {"keys": [...]}')
  }
  return parsed.keys.map((key: unknown, index: number) => {
    try {
      return parsePublicJwk(key, variable)
    } catch (error) {
      throw error instanceof KeyConfigError ? error.atKey(index) : error
    }
  })
}

/** Checks one public Ed25519 JWK; a private key here is refused so it is not spread further. */
export function parsePublicJwk(value: unknown, variable: string): Ed25519PublicKey {
  const jwk = checkEd25519Jwk(value, variable)
  if (jwk.d !== undefined) throw new KeyConfigError(variable, 'must hold public keys only (JWK "d" present)')
  return withKid({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, jwk.kid)
}

/**
 * The key's kid (its thumbprint). A declared `kid` that differs is refused: a second naming
 * scheme would make rotation confusing and the published JWKS wrong.
 */
export async function resolveKid(key: Ed25519PublicKey, variable: string, index?: number): Promise<string> {
  const kid = await keyId(key)
  if (key.kid !== undefined && key.kid !== kid) {
    const error = new KeyConfigError(variable, 'JWK "kid" must be the RFC 7638 thumbprint of the key, or be omitted')
    throw index === undefined ? error : error.atKey(index)
  }
  return kid
}

function parsePkcs8Pem(pem: string, variable: string): Ed25519PrivateJwk {
  // Environment variables often carry PEM with literal "\n" sequences instead of newlines.
  const text = pem.includes('\n') ? pem : pem.replaceAll('\\n', '\n')
  if (!/^-----BEGIN PRIVATE KEY-----\r?\n/.test(text)) {
    throw new KeyConfigError(variable, 'PEM must be an unencrypted PKCS#8 private key (BEGIN PRIVATE KEY)')
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: text, format: 'pem' })
  } catch {
    throw new KeyConfigError(variable, 'PEM could not be read as a PKCS#8 private key')
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyConfigError(variable, 'must be an Ed25519 key')
  return privateJwkOf(key)
}

function privateJwkOf(privateKey: KeyObject): Ed25519PrivateJwk {
  const { d } = privateKey.export({ format: 'jwk' })
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' })
  return { kty: 'OKP', crv: 'Ed25519', x: String(x), d: String(d) }
}

function withKid<T extends object>(key: T, kid: string | undefined): T & { kid?: string } {
  return kid === undefined ? key : { ...key, kid }
}

interface LooseEd25519Jwk {
  x: string
  d: unknown
  kid: string | undefined
}

function checkEd25519Jwk(value: unknown, variable: string): LooseEd25519Jwk {
  if (!isRecord(value)) throw new KeyConfigError(variable, 'must be a JWK object')
  if (value.kty !== 'OKP' || value.crv !== 'Ed25519') {
    throw new KeyConfigError(variable, 'must be an Ed25519 key (JWK kty "OKP", crv "Ed25519")')
  }
  if (value.alg !== undefined && value.alg !== 'EdDSA' && value.alg !== 'Ed25519') {
    throw new KeyConfigError(variable, 'JWK "alg" must be "EdDSA" when present')
  }
  if (value.use !== undefined && value.use !== 'sig') {
    throw new KeyConfigError(variable, 'JWK "use" must be "sig" when present')
  }
  if (typeof value.x !== 'string') throw new KeyConfigError(variable, 'JWK "x" is missing')
  checkBase64url32(value.x, variable, 'x')
  if (value.kid !== undefined && typeof value.kid !== 'string') throw new KeyConfigError(variable, 'JWK "kid" must be a string')
  return { x: value.x, d: value.d, kid: value.kid }
}

// A 32-byte value in canonical unpadded base64url: 43 characters that round-trip exactly, so one
// key cannot appear under two spellings (and two thumbprints).
function checkBase64url32(value: string, variable: string, member: string) {
  const canonical = /^[A-Za-z0-9_-]{43}$/.test(value) && Buffer.from(value, 'base64url').toString('base64url') === value
  if (!canonical) throw new KeyConfigError(variable, `JWK "${member}" must be 32 bytes of unpadded base64url`)
}

function parseJson(text: string, variable: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new KeyConfigError(variable, 'is not valid JSON')
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

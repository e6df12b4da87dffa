// Test support (not exported by the package): keyrings and hand-built tokens for attack tests.
import { importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose'
import { expect } from 'vitest'
import { isTokenError, type TokenErrorCode } from './errors.ts'
import { generateSigningKey, type Ed25519PrivateJwk } from './key-material.ts'
import { createKeyring, type Keyring } from './keyring.ts'

export const ISSUER = 'https://podlaunch.test'
export const DATASET_ID = '0b6f3c1e-5a4d-4c61-9a53-1f0f2d1f4a10'
export const DEPLOYMENT_ID = '7d0e2c5b-9f13-4a8e-8d7c-3b4a2e1f0c99'
/** A fixed clock: 2030-01-01T00:00:00Z. */
export const T0 = new Date('2030-01-01T00:00:00Z')
export const at = (secondsAfterT0: number) => () => new Date(T0.getTime() + secondsAfterT0 * 1000)

export async function testKeyring(): Promise<{ keyring: Keyring; jwk: Ed25519PrivateJwk; privateKey: CryptoKey }> {
  const jwk = generateSigningKey()
  const keyring = await createKeyring({ signingKey: jwk })
  const privateKey = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, 'EdDSA')
  return { keyring, jwk, privateKey }
}

export const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Standard download-token claims at T0 with a one-hour lifetime. */
export function downloadPayload(overrides: JWTPayload = {}): JWTPayload {
  const iat = Math.floor(T0.getTime() / 1000)
  return {
    iss: ISSUER,
    aud: 'podlaunch:download',
    sub: DATASET_ID,
    jti: '5f2b8a0e-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
    iat,
    nbf: iat,
    exp: iat + 3600,
    dataset_id: DATASET_ID,
    ...overrides,
  }
}

/** Signs an arbitrary header and payload with `key` (omit a claim by setting it to undefined). */
export function signRaw(header: Record<string, unknown>, payload: JWTPayload, key: CryptoKey | Uint8Array): Promise<string> {
  const cleaned = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined))
  return new SignJWT(cleaned).setProtectedHeader({ alg: 'EdDSA', ...header }).sign(key)
}

/**
 * Asserts that `promise` rejects with a TokenError of `code`, and that the message carries no
 * part of the token (segments are long enough that a chance match is impossible).
 */
export async function expectTokenError(promise: Promise<unknown>, code: TokenErrorCode, token?: string | null) {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(isTokenError(error), `expected TokenError ${code}`).toBe(true)
  if (!isTokenError(error)) return
  expect(error.code).toBe(code)
  for (const segment of (token ?? '').split('.')) {
    if (segment.length >= 16) expect(error.message).not.toContain(segment.slice(0, 16))
  }
}

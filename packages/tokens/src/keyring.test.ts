import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { KeyConfigError } from './errors.ts'
import { generateSigningKey, keyId } from './key-material.ts'
import { createKeyring } from './keyring.ts'
import { mintToken } from './mint-token.ts'
import { DEPLOYMENT_ID, expectTokenError, ISSUER } from './test-tokens.ts'
import { verifyToken } from './verify-token.ts'

const podMint = { subject: DEPLOYMENT_ID, claims: { deployment_id: DEPLOYMENT_ID }, ttlSeconds: 3600, issuer: ISSUER }
const publicOf = (jwk: { x: string }) => ({ kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x })

describe('kid', () => {
  it('is the RFC 7638 thumbprint (RFC 8037 appendix A.3 vector)', async () => {
    const x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'
    expect(await keyId({ kty: 'OKP', crv: 'Ed25519', x })).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k')
  })

  it('of the signing key matches an independent computation', async () => {
    const jwk = generateSigningKey()
    const keyring = await createKeyring({ signingKey: jwk })
    const canonical = `{"crv":"Ed25519","kty":"OKP","x":"${jwk.x}"}`
    expect(keyring.signingKid).toBe(createHash('sha256').update(canonical).digest('base64url'))
  })
})

describe('publicJwks', () => {
  it('lists the signing key then the verification keys, public members only', async () => {
    const current = generateSigningKey()
    const previous = generateSigningKey()
    const keyring = await createKeyring({ signingKey: current, verificationKeys: [publicOf(previous), publicOf(current)] })
    const jwks = keyring.publicJwks()
    expect(jwks.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: current.x, kid: await keyId(current), alg: 'EdDSA', use: 'sig' },
      { kty: 'OKP', crv: 'Ed25519', x: previous.x, kid: await keyId(previous), alg: 'EdDSA', use: 'sig' },
    ])
    expect(JSON.stringify(jwks)).not.toContain(current.d)
    expect(keyring.kids).toEqual([keyring.signingKid, await keyId(previous)])
    // Callers get copies: mutating one does not change what is published next time.
    jwks.keys.pop()
    expect(keyring.publicJwks().keys).toHaveLength(2)
  })

  it('the keyring object itself exposes no private material', async () => {
    const jwk = generateSigningKey()
    const keyring = await createKeyring({ signingKey: jwk })
    expect(JSON.stringify(keyring)).not.toContain(jwk.d)
    expect(Object.keys(keyring).sort()).toEqual(['kids', 'publicJwks', 'signingKid'])
  })
})

describe('key rotation', () => {
  it('a token of the previous key verifies while listed, and fails once removed', async () => {
    const previous = generateSigningKey()
    const oldKeyring = await createKeyring({ signingKey: previous })
    const { token } = await mintToken(oldKeyring, 'pod', podMint)

    const rotated = await createKeyring({ signingKey: generateSigningKey(), verificationKeys: [publicOf(previous)] })
    const verified = await verifyToken(rotated, 'pod', token, { issuer: ISSUER })
    expect(verified.kid).toBe(oldKeyring.signingKid)
    const fresh = await mintToken(rotated, 'pod', podMint)
    expect((await verifyToken(rotated, 'pod', fresh.token, { issuer: ISSUER })).kid).toBe(rotated.signingKid)

    const retired = await createKeyring({ signingKey: generateSigningKey() })
    await expectTokenError(verifyToken(retired, 'pod', token, { issuer: ISSUER }), 'TOKEN_INVALID', token)
  })
})

describe('createKeyring refuses', () => {
  const refuse = async (promise: Promise<unknown>, secret?: string) => {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(KeyConfigError)
    if (secret) expect(String((error as Error).message)).not.toContain(secret)
  }

  it('a declared kid that is not the thumbprint', async () => {
    const jwk = generateSigningKey()
    await refuse(createKeyring({ signingKey: { ...jwk, kid: 'my-key-2024' } }), jwk.d)
    await refuse(createKeyring({ signingKey: jwk, verificationKeys: [{ ...publicOf(jwk), kid: 'other' }] }))
  })

  it('a private key among the verification keys', async () => {
    const jwk = generateSigningKey()
    const other = generateSigningKey()
    await refuse(createKeyring({ signingKey: jwk, verificationKeys: [other] }), other.d)
  })

  it('an x that does not belong to d', async () => {
    const jwk = generateSigningKey()
    await refuse(createKeyring({ signingKey: { ...jwk, x: generateSigningKey().x } }), jwk.d)
  })
})

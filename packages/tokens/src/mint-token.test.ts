import { decodeJwt, decodeProtectedHeader } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Keyring } from './keyring.ts'
import { MAX_TOKEN_TTL_SECONDS } from './limits.ts'
import { mintToken } from './mint-token.ts'
import { at, DATASET_ID, DEPLOYMENT_ID, expectTokenError, ISSUER, T0, testKeyring } from './test-tokens.ts'
import { verifyToken } from './verify-token.ts'

let keyring: Keyring
beforeAll(async () => {
  ;({ keyring } = await testKeyring())
})

describe('mintToken and verifyToken round trip', () => {
  it('download token carries dataset and deployment', async () => {
    const minted = await mintToken(keyring, 'download', {
      subject: DATASET_ID,
      claims: { dataset_id: DATASET_ID, deployment_id: DEPLOYMENT_ID },
      ttlSeconds: 900,
      issuer: ISSUER,
      now: at(0),
    })
    expect(minted.issuedAt).toEqual(T0)
    expect(minted.expiresAt).toEqual(new Date(T0.getTime() + 900_000))
    expect(minted.jti).toMatch(/^[0-9a-f-]{36}$/)

    const header = decodeProtectedHeader(minted.token)
    expect(header).toEqual({ alg: 'EdDSA', typ: 'podlaunch-download+jwt', kid: keyring.signingKid })
    const payload = decodeJwt(minted.token)
    expect(payload).toMatchObject({ iss: ISSUER, aud: 'podlaunch:download', sub: DATASET_ID, jti: minted.jti })
    expect(payload.nbf).toBe(payload.iat)

    const verified = await verifyToken(keyring, 'download', minted.token, { issuer: ISSUER, now: at(60) })
    expect(verified).toEqual({
      kind: 'download',
      kid: keyring.signingKid,
      issuer: ISSUER,
      audience: 'podlaunch:download',
      subject: DATASET_ID,
      jti: minted.jti,
      issuedAt: T0,
      notBefore: T0,
      expiresAt: minted.expiresAt,
      claims: { dataset_id: DATASET_ID, deployment_id: DEPLOYMENT_ID },
    })
  })

  it('download token without deployment_id', async () => {
    const minted = await mintToken(keyring, 'download', {
      subject: DATASET_ID,
      claims: { dataset_id: DATASET_ID },
      ttlSeconds: 60,
      issuer: ISSUER,
    })
    const verified = await verifyToken(keyring, 'download', minted.token, { issuer: ISSUER })
    expect(verified.claims).toEqual({ dataset_id: DATASET_ID })
  })

  it('pod token carries the deployment as subject', async () => {
    const minted = await mintToken(keyring, 'pod', {
      subject: DEPLOYMENT_ID,
      claims: { deployment_id: DEPLOYMENT_ID },
      ttlSeconds: MAX_TOKEN_TTL_SECONDS,
      issuer: ISSUER,
      now: at(0),
    })
    expect(decodeProtectedHeader(minted.token).typ).toBe('podlaunch-pod+jwt')
    const verified = await verifyToken(keyring, 'pod', minted.token, { issuer: ISSUER, now: at(3600) })
    expect(verified.subject).toBe(DEPLOYMENT_ID)
    expect(verified.audience).toBe('podlaunch:pod')
    expect(verified.claims).toEqual({ deployment_id: DEPLOYMENT_ID })
  })

  it('artifact token (the kind added as one table entry)', async () => {
    const minted = await mintToken(keyring, 'artifact', {
      subject: 'artifact-1',
      claims: { artifact_id: 'artifact-1', deployment_id: DEPLOYMENT_ID },
      ttlSeconds: 60,
      issuer: ISSUER,
    })
    const verified = await verifyToken(keyring, 'artifact', minted.token, { issuer: ISSUER })
    expect(verified.claims).toEqual({ artifact_id: 'artifact-1', deployment_id: DEPLOYMENT_ID })
  })

  it('every token gets its own jti', async () => {
    const options = { subject: DEPLOYMENT_ID, claims: { deployment_id: DEPLOYMENT_ID }, ttlSeconds: 60, issuer: ISSUER }
    const [a, b] = await Promise.all([mintToken(keyring, 'pod', options), mintToken(keyring, 'pod', options)])
    expect(a.jti).not.toBe(b.jti)
  })
})

describe('mintToken refuses', () => {
  const base = { subject: DATASET_ID, claims: { dataset_id: DATASET_ID }, issuer: ISSUER }

  it.each([0, -1, MAX_TOKEN_TTL_SECONDS + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('ttlSeconds %s', async (ttlSeconds) => {
    await expectTokenError(mintToken(keyring, 'download', { ...base, ttlSeconds }), 'TOKEN_TTL_OUT_OF_RANGE')
  })

  it('a subject that is not the kind subject claim', async () => {
    await expectTokenError(mintToken(keyring, 'download', { ...base, subject: DEPLOYMENT_ID, ttlSeconds: 60 }), 'TOKEN_CLAIMS_INVALID')
  })

  it('claims the kind does not declare, and missing required claims', async () => {
    const sneaky = { dataset_id: DATASET_ID, exp: 9_999_999_999 } as unknown as { dataset_id: string }
    await expectTokenError(mintToken(keyring, 'download', { ...base, claims: sneaky, ttlSeconds: 60 }), 'TOKEN_CLAIMS_INVALID')
    const missing = {} as unknown as { dataset_id: string }
    await expectTokenError(mintToken(keyring, 'download', { ...base, claims: missing, ttlSeconds: 60 }), 'TOKEN_CLAIMS_INVALID')
    await expectTokenError(
      mintToken(keyring, 'download', { ...base, claims: { dataset_id: DATASET_ID, deployment_id: '' }, ttlSeconds: 60 }),
      'TOKEN_CLAIMS_INVALID',
    )
  })

  it('an empty issuer', async () => {
    await expectTokenError(mintToken(keyring, 'download', { ...base, issuer: '', ttlSeconds: 60 }), 'TOKEN_CLAIMS_INVALID')
  })
})

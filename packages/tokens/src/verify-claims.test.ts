// Claim and clock rules, on tokens signed by the real key (so only the claims are at fault).
import type { CryptoKey, JWTPayload } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Keyring } from './keyring.ts'
import { CLOCK_SKEW_SECONDS } from './limits.ts'
import { mintToken } from './mint-token.ts'
import { at, DATASET_ID, DEPLOYMENT_ID, downloadPayload, expectTokenError, ISSUER, signRaw, testKeyring } from './test-tokens.ts'
import { verifyToken } from './verify-token.ts'

let keyring: Keyring
let privateKey: CryptoKey

beforeAll(async () => {
  ;({ keyring, privateKey } = await testKeyring())
})

const sign = (payload: JWTPayload) => signRaw({ typ: 'podlaunch-download+jwt', kid: keyring.signingKid }, payload, privateKey)
const verifyAt = (token: string, seconds: number) => verifyToken(keyring, 'download', token, { issuer: ISSUER, now: at(seconds) })
const HOUR = 3600

describe('verifyToken: expiry and not-before with 30 s skew', () => {
  it('a minted token expires after its ttl plus the skew', async () => {
    const { token } = await mintToken(keyring, 'download', {
      subject: DATASET_ID,
      claims: { dataset_id: DATASET_ID },
      ttlSeconds: 600,
      issuer: ISSUER,
      now: at(0),
    })
    await expect(verifyAt(token, 600 + CLOCK_SKEW_SECONDS - 1)).resolves.toMatchObject({ subject: DATASET_ID })
    await expectTokenError(verifyAt(token, 600 + CLOCK_SKEW_SECONDS), 'TOKEN_EXPIRED', token)
    await expectTokenError(verifyAt(token, 10 * HOUR), 'TOKEN_EXPIRED', token)
  })

  it('nbf in the future beyond the skew is refused, within the skew accepted', async () => {
    const iat = downloadPayload().iat ?? 0
    const early = await sign(downloadPayload({ nbf: iat + 60 }))
    await expectTokenError(verifyAt(early, 0), 'TOKEN_INVALID', early)
    await expectTokenError(verifyAt(early, 60 - CLOCK_SKEW_SECONDS - 1), 'TOKEN_INVALID', early)
    await expect(verifyAt(early, 60 - CLOCK_SKEW_SECONDS)).resolves.toMatchObject({ subject: DATASET_ID })

    const slightlyEarly = await sign(downloadPayload({ nbf: iat + 20 }))
    await expect(verifyAt(slightlyEarly, 0)).resolves.toMatchObject({ subject: DATASET_ID })
  })

  it('a token minted by a server whose clock is 25 s ahead is accepted', async () => {
    const { token } = await mintToken(keyring, 'download', {
      subject: DATASET_ID,
      claims: { dataset_id: DATASET_ID },
      ttlSeconds: 60,
      issuer: ISSUER,
      now: at(25),
    })
    await expect(verifyAt(token, 0)).resolves.toMatchObject({ subject: DATASET_ID })
  })

  it('iat in the future beyond the skew is refused', async () => {
    const iat = (downloadPayload().iat ?? 0) + 120
    const token = await sign(downloadPayload({ iat, nbf: iat - 200, exp: iat + 60 }))
    await expectTokenError(verifyAt(token, 0), 'TOKEN_INVALID', token)
  })
})

describe('verifyToken: required claims and lifetime cap', () => {
  it.each(['jti', 'exp', 'sub', 'iat', 'nbf', 'iss', 'aud', 'dataset_id'])('missing %s', async (claim) => {
    const token = await sign(downloadPayload({ [claim]: undefined }))
    await expectTokenError(verifyAt(token, 10), 'TOKEN_INVALID', token)
  })

  it.each([
    ['jti empty', { jti: '' }],
    ['exp as a string', { exp: '9999999999' }],
    ['iat negative', { iat: -1 }],
    ['aud as an array', { aud: ['podlaunch:download', 'podlaunch:pod'] }],
    ['dataset_id a number', { dataset_id: 42 }],
    ['sub not the dataset', { sub: DEPLOYMENT_ID }],
    ['exp before nbf', { exp: (downloadPayload().nbf ?? 0) - 1 }],
  ])('ill-typed or inconsistent: %s', async (_name, overrides) => {
    const token = await sign(downloadPayload(overrides as JWTPayload))
    await expectTokenError(verifyAt(token, 10), 'TOKEN_INVALID', token)
  })

  it('a wrong issuer', async () => {
    const token = await sign(downloadPayload({ iss: 'https://evil.example' }))
    await expectTokenError(verifyAt(token, 10), 'TOKEN_INVALID', token)
  })

  it('a lifetime over 24 h (exp - iat = 25 h), even though still current', async () => {
    const iat = downloadPayload().iat ?? 0
    const token = await sign(downloadPayload({ exp: iat + 25 * HOUR }))
    await expectTokenError(verifyAt(token, 10), 'TOKEN_INVALID', token)
  })

  it('a lifetime over 24 h measured from nbf', async () => {
    const iat = downloadPayload().iat ?? 0
    const token = await sign(downloadPayload({ nbf: iat - 2 * HOUR, exp: iat + 23 * HOUR }))
    await expectTokenError(verifyAt(token, 10), 'TOKEN_INVALID', token)
  })

  it('exactly 24 h is accepted', async () => {
    const iat = downloadPayload().iat ?? 0
    const token = await sign(downloadPayload({ exp: iat + 24 * HOUR }))
    await expect(verifyAt(token, 10)).resolves.toMatchObject({ subject: DATASET_ID })
  })

  it('unknown extra claims are ignored and not returned', async () => {
    const token = await sign(downloadPayload({ admin: true }))
    const verified = await verifyAt(token, 10)
    expect(verified.claims).toEqual({ dataset_id: DATASET_ID })
  })
})

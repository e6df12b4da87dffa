// Attacks on the signature, the header and the token's shape: each refused with its code.
import { createHmac } from 'node:crypto'
import { SignJWT, type CryptoKey } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Ed25519PrivateJwk } from './key-material.ts'
import type { Keyring } from './keyring.ts'
import { mintToken } from './mint-token.ts'
import { at, b64json, DATASET_ID, DEPLOYMENT_ID, downloadPayload, expectTokenError, ISSUER, signRaw, testKeyring } from './test-tokens.ts'
import { verifyToken } from './verify-token.ts'

let keyring: Keyring
let jwk: Ed25519PrivateJwk
let privateKey: CryptoKey
let foreign: { privateKey: CryptoKey; keyring: Keyring }
let download: string
let pod: string

const options = { issuer: ISSUER, now: at(10) }
const verifyDownload = (token: string | null | undefined) => verifyToken(keyring, 'download', token, options)
const DOWNLOAD_TYP = 'podlaunch-download+jwt'

beforeAll(async () => {
  ;({ keyring, jwk, privateKey } = await testKeyring())
  foreign = await testKeyring()
  const mint = { issuer: ISSUER, ttlSeconds: 3600, now: at(0) }
  download = (await mintToken(keyring, 'download', { ...mint, subject: DATASET_ID, claims: { dataset_id: DATASET_ID } })).token
  pod = (await mintToken(keyring, 'pod', { ...mint, subject: DEPLOYMENT_ID, claims: { deployment_id: DEPLOYMENT_ID } })).token
})

describe('verifyToken: signature and header attacks', () => {
  it('accepts the genuine token (control)', async () => {
    await expect(verifyDownload(download)).resolves.toMatchObject({ subject: DATASET_ID })
  })

  it('alg "none": empty signature is malformed, any signature is invalid', async () => {
    const unsigned = `${b64json({ alg: 'none', typ: DOWNLOAD_TYP, kid: keyring.signingKid })}.${b64json(downloadPayload())}`
    await expectTokenError(verifyDownload(`${unsigned}.`), 'TOKEN_MALFORMED', unsigned)
    await expectTokenError(verifyDownload(`${unsigned}.AAAA`), 'TOKEN_INVALID', unsigned)
  })

  it('HS256 keyed with the public key bytes (key confusion)', async () => {
    const header = { alg: 'HS256', typ: DOWNLOAD_TYP, kid: keyring.signingKid }
    const publicJwk = keyring.publicJwks().keys[0]
    const secrets = [
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(JSON.stringify(publicJwk)),
      Buffer.from(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x: jwk.x })),
    ]
    for (const secret of secrets) {
      const viaJose = await new SignJWT(downloadPayload()).setProtectedHeader(header).sign(new Uint8Array(secret))
      await expectTokenError(verifyDownload(viaJose), 'TOKEN_INVALID', viaJose)
      // The same by hand, in case a library normalised anything.
      const input = `${b64json(header)}.${b64json(downloadPayload())}`
      const byHand = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
      await expectTokenError(verifyDownload(byHand), 'TOKEN_INVALID', byHand)
    }
  })

  it('a foreign Ed25519 key claiming our kid', async () => {
    const forged = await signRaw({ typ: DOWNLOAD_TYP, kid: keyring.signingKid }, downloadPayload(), foreign.privateKey)
    await expectTokenError(verifyDownload(forged), 'TOKEN_INVALID', forged)
  })

  it('an unknown kid, and no kid at all', async () => {
    const unknown = await signRaw({ typ: DOWNLOAD_TYP, kid: foreign.keyring.signingKid }, downloadPayload(), foreign.privateKey)
    await expectTokenError(verifyDownload(unknown), 'TOKEN_INVALID', unknown)
    const noKid = await signRaw({ typ: DOWNLOAD_TYP }, downloadPayload(), privateKey)
    await expectTokenError(verifyDownload(noKid), 'TOKEN_INVALID', noKid)
  })

  it('a tampered payload under the original signature', async () => {
    const [header, payload, signature] = download.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>
    const other = '11111111-2222-4333-8444-555555555555'
    const tampered = `${header}.${b64json({ ...claims, dataset_id: other, sub: other })}.${signature}`
    await expectTokenError(verifyDownload(tampered), 'TOKEN_INVALID', tampered)
  })

  it('a signature with a second spelling (unused trailing bits set) is refused', async () => {
    const b64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = b64url.indexOf(download.slice(-1))
    const respelled = `${download.slice(0, -1)}${b64url[last ^ 1]}`
    // Same signature bytes, so a lenient decoder would accept it.
    const signatureBytes = (token: string) => Buffer.from(token.split('.')[2] ?? '', 'base64url')
    expect(signatureBytes(respelled)).toEqual(signatureBytes(download))
    await expectTokenError(verifyDownload(respelled), 'TOKEN_INVALID', respelled)
  })

  it('a wrong or missing typ, signed by the real key', async () => {
    for (const typ of ['JWT', 'podlaunch-pod+jwt', 'application/podlaunch-download+jwt', undefined]) {
      const token = await signRaw({ typ, kid: keyring.signingKid }, downloadPayload(), privateKey)
      await expectTokenError(verifyDownload(token), 'TOKEN_INVALID', token)
    }
  })

  it('critical header extensions (b64:false) are refused', async () => {
    const token = await signRaw({ typ: DOWNLOAD_TYP, kid: keyring.signingKid, crit: ['b64'], b64: true }, downloadPayload(), privateKey)
    await expectTokenError(verifyDownload(token), 'TOKEN_INVALID', token)
  })

  it('a pod token used for a download and the reverse: wrong audience', async () => {
    await expectTokenError(verifyDownload(pod), 'TOKEN_WRONG_AUDIENCE', pod)
    await expectTokenError(verifyToken(keyring, 'pod', download, options), 'TOKEN_WRONG_AUDIENCE', download)
    await expectTokenError(verifyToken(keyring, 'artifact', download, options), 'TOKEN_WRONG_AUDIENCE', download)
  })

  it('wrong audience is only reported for a verified signature', async () => {
    const forgedPod = await signRaw(
      { typ: 'podlaunch-pod+jwt', kid: keyring.signingKid },
      downloadPayload({ aud: 'podlaunch:pod', sub: DEPLOYMENT_ID, deployment_id: DEPLOYMENT_ID, dataset_id: undefined }),
      foreign.privateKey,
    )
    await expectTokenError(verifyDownload(forgedPod), 'TOKEN_INVALID', forgedPod)
  })
})

describe('verifyToken: shape checks before parsing', () => {
  it.each([undefined, null, ''])('missing token (%s)', async (token) => {
    await expectTokenError(verifyDownload(token), 'TOKEN_MISSING')
  })

  it('a token over 4 KiB, even one signed by the real key', async () => {
    await expectTokenError(verifyDownload(`${'a'.repeat(2560)}.${'b'.repeat(2560)}.c`), 'TOKEN_MALFORMED')
    const big = await signRaw({ typ: DOWNLOAD_TYP, kid: keyring.signingKid }, downloadPayload({ pad: 'x'.repeat(5000) }), privateKey)
    expect(big.length).toBeGreaterThan(5 * 1024)
    await expectTokenError(verifyDownload(big), 'TOKEN_MALFORMED', big)
  })

  it.each([
    ['a space', (t: string) => `${t} `],
    ['base64 padding', (t: string) => `${t}==`],
    ['standard base64 characters', (t: string) => t.replace(/-/g, '+').replace(/_/g, '/') + '+/'],
    ['a newline', (t: string) => `${t}\n`],
    ['non-ASCII', (t: string) => `${t}é`],
    ['a fourth segment', (t: string) => `${t}.AAAA`],
    ['two segments', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['an empty payload', (t: string) => t.replace(/\.[^.]+\./, '..')],
    ['a Bearer prefix', (t: string) => `Bearer ${t}`],
  ])('bad characters or structure: %s', async (_name, mutate) => {
    const token = mutate(download)
    await expectTokenError(verifyDownload(token), 'TOKEN_MALFORMED', token)
  })

  it('an undecodable header', async () => {
    const [, payload, signature] = download.split('.')
    for (const header of ['bm90IGpzb24', b64json('a string'), b64json([1, 2]), 'A']) {
      const token = `${header}.${payload}.${signature}`
      await expectTokenError(verifyDownload(token), 'TOKEN_MALFORMED', token)
    }
  })
})

describe('verifyToken: random single-character changes', () => {
  // Deterministic PRNG (mulberry32) so a failure reproduces.
  function random(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %é'

  it('no change to any position of a genuine token is ever accepted', async () => {
    const next = random(20300101)
    for (let round = 0; round < 400; round++) {
      // Every position once, then random ones.
      const position = round < download.length ? round : Math.floor(next() * download.length)
      let replacement = download[position]
      while (replacement === download[position]) replacement = alphabet[Math.floor(next() * alphabet.length)]
      const token = `${download.slice(0, position)}${replacement}${download.slice(position + 1)}`
      const error: unknown = await verifyDownload(token).then(
        () => undefined,
        (reason: unknown) => reason,
      )
      expect(error, `position ${position}`).toBeInstanceOf(Error)
      expect(['TOKEN_MALFORMED', 'TOKEN_INVALID']).toContain((error as { code?: string }).code)
    }
  })
})

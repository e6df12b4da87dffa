import { generateKeyPairSync } from 'node:crypto'
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KeyConfigError } from './errors.ts'
import { generateSigningKey, keyId } from './key-material.ts'
import { loadKeyring, SIGNING_KEY_FILE } from './load-keyring.ts'
import { mintToken } from './mint-token.ts'
import { DEPLOYMENT_ID, ISSUER } from './test-tokens.ts'
import { verifyToken } from './verify-token.ts'

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-tokens-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

/** Expects a KeyConfigError naming `variable` whose message contains none of `secrets`. */
async function expectConfigError(promise: Promise<unknown>, variable: string, secrets: string[] = []) {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(KeyConfigError)
  if (!(error instanceof KeyConfigError)) return
  expect(error.code).toBe('KEY_CONFIG_INVALID')
  expect(error.variable).toBe(variable)
  expect(error.message).toContain(variable)
  expect(error.cause).toBeUndefined()
  for (const secret of secrets) expect(error.message).not.toContain(secret)
}

const ed25519Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

describe('loadKeyring in embedded mode (dataDir)', () => {
  it('creates signing-key.jwk with mode 0600 on first start and reuses it later', async () => {
    const first = await loadKeyring({ dataDir })
    const path = join(dataDir, SIGNING_KEY_FILE)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const stored = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    expect(stored).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: first.signingKid })
    expect(await readdir(dataDir)).toEqual([SIGNING_KEY_FILE]) // no temp file left behind

    const second = await loadKeyring({ dataDir })
    expect(second.signingKid).toBe(first.signingKid)
    const { token } = await mintToken(first, 'pod', {
      subject: DEPLOYMENT_ID,
      claims: { deployment_id: DEPLOYMENT_ID },
      ttlSeconds: 60,
      issuer: ISSUER,
    })
    await expect(verifyToken(second, 'pod', token, { issuer: ISSUER })).resolves.toMatchObject({ subject: DEPLOYMENT_ID })
  })

  it('creates a missing data directory, and racing first starts agree on one key', async () => {
    const nested = join(dataDir, 'a', 'b')
    const keyrings = await Promise.all([1, 2, 3, 4].map(() => loadKeyring({ dataDir: nested })))
    expect(new Set(keyrings.map((keyring) => keyring.signingKid)).size).toBe(1)
    expect(await readdir(nested)).toEqual([SIGNING_KEY_FILE])
  })

  it('refuses a key file readable by others, and a corrupt key file, naming the file', async () => {
    const path = join(dataDir, SIGNING_KEY_FILE)
    const jwk = generateSigningKey()
    await writeFile(path, JSON.stringify(jwk), { mode: 0o644 })
    await chmod(path, 0o644)
    await expectConfigError(loadKeyring({ dataDir }), path, [jwk.d])
    await writeFile(path, `{"kty":"OKP","d":"${jwk.d}"`, { mode: 0o600 })
    await chmod(path, 0o600)
    await expectConfigError(loadKeyring({ dataDir }), path, [jwk.d, jwk.d.slice(0, 8)])
  })

  it('a configured signing key wins over the data directory (no file written)', async () => {
    const jwk = generateSigningKey()
    const keyring = await loadKeyring({ dataDir, signingKey: JSON.stringify(jwk) })
    expect(keyring.signingKid).toBe(await keyId(jwk))
    expect(await readdir(dataDir)).toEqual([])
  })
})

describe('loadKeyring from PODLAUNCH_SIGNING_KEY', () => {
  it('loads a private JWK', async () => {
    const jwk = generateSigningKey()
    const keyring = await loadKeyring({ signingKey: JSON.stringify({ ...jwk, kid: await keyId(jwk), alg: 'EdDSA', use: 'sig' }) })
    expect(keyring.signingKid).toBe(await keyId(jwk))
  })

  it('loads a PKCS#8 PEM, also with literal \\n sequences as env files have them', async () => {
    const pem = ed25519Pem()
    const a = await loadKeyring({ signingKey: pem })
    const b = await loadKeyring({ signingKey: pem.trim().replaceAll('\n', '\\n') })
    expect(b.signingKid).toBe(a.signingKid)
  })

  it.each([
    ['garbage', 'not-a-key-S3CRETMATERIAL'],
    ['broken JSON', '{"kty":"OKP","crv":"Ed25519","d":"S3CRETMATERIAL'],
    ['a JSON array', '["S3CRETMATERIAL"]'],
    ['an empty string', '   '],
    ['a broken PEM', '-----BEGIN PRIVATE KEY-----\nS3CRETMATERIAL\n-----END PRIVATE KEY-----\n'],
    ['an encrypted PEM', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nS3CRETMATERIAL\n-----END ENCRYPTED PRIVATE KEY-----\n'],
  ])('refuses %s, naming the variable without echoing it', async (_name, signingKey) => {
    await expectConfigError(loadKeyring({ signingKey }), 'PODLAUNCH_SIGNING_KEY', ['S3CRETMATERIAL'])
  })

  it('refuses non-Ed25519 keys (RSA PEM, P-256 JWK, X25519 JWK, public key only)', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    const rsaPem = rsa.export({ type: 'pkcs8', format: 'pem' }).toString()
    const rsaBody = rsaPem.split('\n')[5] ?? 'unreachable'
    await expectConfigError(loadKeyring({ signingKey: rsaPem }), 'PODLAUNCH_SIGNING_KEY', [rsaBody])

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
    await expectConfigError(loadKeyring({ signingKey: JSON.stringify(ec) }), 'PODLAUNCH_SIGNING_KEY', [String(ec.d)])

    const x25519 = generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' })
    await expectConfigError(loadKeyring({ signingKey: JSON.stringify(x25519) }), 'PODLAUNCH_SIGNING_KEY', [String(x25519.d)])

    const { x } = generateSigningKey()
    await expectConfigError(loadKeyring({ signingKey: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x }) }), 'PODLAUNCH_SIGNING_KEY')
    const spki = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    await expectConfigError(loadKeyring({ signingKey: spki }), 'PODLAUNCH_SIGNING_KEY')
  })

  it('without a signing key or data directory names PODLAUNCH_SIGNING_KEY', async () => {
    await expectConfigError(loadKeyring({}), 'PODLAUNCH_SIGNING_KEY')
  })
})

describe('loadKeyring with PODLAUNCH_VERIFICATION_KEYS', () => {
  it('accepts the JWKS another server published, and verifies its tokens', async () => {
    const old = await loadKeyring({ signingKey: ed25519Pem() })
    const { token } = await mintToken(old, 'pod', {
      subject: DEPLOYMENT_ID,
      claims: { deployment_id: DEPLOYMENT_ID },
      ttlSeconds: 60,
      issuer: ISSUER,
    })
    const keyring = await loadKeyring({ dataDir, verificationKeys: JSON.stringify(old.publicJwks()) })
    expect(keyring.kids).toEqual([keyring.signingKid, old.signingKid])
    await expect(verifyToken(keyring, 'pod', token, { issuer: ISSUER })).resolves.toMatchObject({ kid: old.signingKid })
  })

  it('refuses garbage, a private key and a non-Ed25519 key, naming the variable', async () => {
    const variable = 'PODLAUNCH_VERIFICATION_KEYS'
    await expectConfigError(loadKeyring({ dataDir, verificationKeys: 'S3CRETMATERIAL' }), variable, ['S3CRETMATERIAL'])
    await expectConfigError(loadKeyring({ dataDir, verificationKeys: '{"keys": {}}' }), variable)
    const jwk = generateSigningKey()
    const leaked = JSON.stringify({ keys: [jwk] })
    await expectConfigError(loadKeyring({ dataDir, verificationKeys: leaked }), variable, [jwk.d])
    const mislabelled = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'old' }] })
    await expectConfigError(loadKeyring({ dataDir, verificationKeys: mislabelled }), variable)
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })
    await expectConfigError(loadKeyring({ dataDir, verificationKeys: JSON.stringify({ keys: [ec] }) }), variable)
  })
})

// Key configuration for the server: keys from configuration strings, or in embedded mode a key
// generated once into the data directory and reused on every later start.
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { KeyConfigError } from './errors.ts'
import {
  generateSigningKey,
  parseSigningJwk,
  parseSigningKeyText,
  parseVerificationKeysText,
  resolveKid,
  type Ed25519PrivateJwk,
  type Ed25519PublicKey,
} from './key-material.ts'
import { createKeyring, type Keyring } from './keyring.ts'

export const SIGNING_KEY_VARIABLE = 'PODLAUNCH_SIGNING_KEY'
export const VERIFICATION_KEYS_VARIABLE = 'PODLAUNCH_VERIFICATION_KEYS'
/** File name of the generated key inside the data directory. */
export const SIGNING_KEY_FILE = 'signing-key.jwk'

export interface LoadKeyringOptions {
  /**
   * Value of PODLAUNCH_SIGNING_KEY: a private Ed25519 JWK (JSON) or a PKCS#8 PEM (literal "\n"
   * sequences are accepted for newlines). Takes precedence over dataDir. Default: unset.
   */
  signingKey?: string | undefined
  /**
   * Embedded mode: where `signing-key.jwk` is generated (mode 0600) on first start and read on
   * later starts. Used only when signingKey is unset. Default: unset.
   */
  dataDir?: string | undefined
  /** Value of PODLAUNCH_VERIFICATION_KEYS: a JWKS JSON string of earlier public keys. Default: none. */
  verificationKeys?: string | undefined
}

/**
 * Builds the server's keyring from configuration. Throws KeyConfigError naming the variable
 * (or key file) at fault; messages never contain key material.
 */
export async function loadKeyring(options: LoadKeyringOptions): Promise<Keyring> {
  const signingKey = await loadSigningKey(options)
  const verificationKeys: Ed25519PublicKey[] = []
  if (options.verificationKeys !== undefined) {
    const keys = parseVerificationKeysText(options.verificationKeys, VERIFICATION_KEYS_VARIABLE)
    for (const [index, key] of keys.entries()) {
      await resolveKid(key, VERIFICATION_KEYS_VARIABLE, index)
      verificationKeys.push(key)
    }
  }
  return createKeyring({ signingKey, verificationKeys })
}

async function loadSigningKey(options: LoadKeyringOptions): Promise<Ed25519PrivateJwk> {
  if (options.signingKey !== undefined) {
    const key = parseSigningKeyText(options.signingKey, SIGNING_KEY_VARIABLE)
    await resolveKid(key, SIGNING_KEY_VARIABLE)
    return key
  }
  if (options.dataDir !== undefined) return loadOrCreateKeyFile(join(options.dataDir, SIGNING_KEY_FILE))
  throw new KeyConfigError(SIGNING_KEY_VARIABLE, 'is required when no data directory is configured')
}

/** Reads the key file, or creates it when absent. */
async function loadOrCreateKeyFile(path: string): Promise<Ed25519PrivateJwk> {
  const existing = await readKeyFile(path)
  if (existing) return existing
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const created = generateSigningKey()
  const kid = await resolveKid(created, path)
  if (await publishKeyFile(path, `${JSON.stringify({ ...created, kid }, null, 2)}\n`)) return created
  // Another process (a second replica on the same volume) created it first: use theirs.
  const winner = await readKeyFile(path)
  if (!winner) throw new KeyConfigError(path, 'key file vanished while it was being created')
  return winner
}

async function readKeyFile(path: string): Promise<Ed25519PrivateJwk | undefined> {
  let text: string
  try {
    const info = await stat(path)
    // Like ssh: a private key readable by others is refused rather than silently used.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new KeyConfigError(path, 'key file must not be accessible by group or others (chmod 600)')
    }
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined
    if (error instanceof KeyConfigError) throw error
    throw new KeyConfigError(path, 'key file could not be read')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new KeyConfigError(path, 'key file is not valid JSON')
  }
  const key = parseSigningJwk(parsed, path)
  await resolveKid(key, path)
  return key
}

// Write to a private temp file, flush, then link() it into place: link never replaces an
// existing file, so the final name appears complete and exactly one racing writer wins.
async function publishKeyFile(path: string, contents: string): Promise<boolean> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
    try {
      await handle.chmod(0o600)
      await handle.writeFile(contents, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await link(temp, path)
    return true
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false
    throw new KeyConfigError(path, 'key file could not be created')
  } finally {
    await unlink(temp).catch(() => {})
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code
}

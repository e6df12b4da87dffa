// One signing key plus earlier public keys, all named by their RFC 7638 thumbprint. The private
// key lives in a module-private WeakMap as a non-extractable CryptoKey: nothing reachable from a
// Keyring object (logging it, serialising it) exposes key material, and only mintToken signs.
import { importJWK, type CryptoKey } from 'jose'
import { KeyConfigError } from './errors.ts'
import {
  parsePublicJwk,
  parseSigningJwk,
  resolveKid,
  type Ed25519PrivateJwk,
  type Ed25519PublicKey,
  type PublicJwk,
  type PublicJwks,
} from './key-material.ts'

export interface Keyring {
  /** kid of the key new tokens are signed with. */
  readonly signingKid: string
  /** kids that verify, the signing key first, then the verification keys in the order given. */
  readonly kids: readonly string[]
  /** The public JWKS to serve at GET /.well-known/jwks.json (public members only). */
  publicJwks(): PublicJwks
}

export interface CreateKeyringOptions {
  /** The private key new tokens are signed with. */
  signingKey: Ed25519PrivateJwk
  /** Earlier public keys that still verify live tokens. Default: none. */
  verificationKeys?: readonly Ed25519PublicKey[] | undefined
}

interface KeyringState {
  signingKid: string
  privateKey: CryptoKey
  publicKeys: ReadonlyMap<string, CryptoKey>
  jwks: readonly PublicJwk[]
}

const states = new WeakMap<Keyring, KeyringState>()

export async function createKeyring(options: CreateKeyringOptions): Promise<Keyring> {
  const signing = parseSigningJwk(options.signingKey, 'signingKey')
  const signingKid = await resolveKid(signing, 'signingKey')
  const privateKey = await importJWK({ kty: signing.kty, crv: signing.crv, x: signing.x, d: signing.d }, 'EdDSA', {
    extractable: false,
  })

  const publicKeys = new Map<string, CryptoKey>()
  const jwks: PublicJwk[] = []
  const addPublic = async (key: Ed25519PublicKey, kid: string) => {
    if (publicKeys.has(kid)) return
    publicKeys.set(kid, await importJWK({ kty: key.kty, crv: key.crv, x: key.x }, 'EdDSA'))
    jwks.push({ kty: 'OKP', crv: 'Ed25519', x: key.x, kid, alg: 'EdDSA', use: 'sig' })
  }
  await addPublic(signing, signingKid)
  for (const [index, input] of (options.verificationKeys ?? []).entries()) {
    let key: Ed25519PublicKey
    try {
      key = parsePublicJwk(input, 'verificationKeys')
    } catch (error) {
      throw error instanceof KeyConfigError ? error.atKey(index) : error
    }
    await addPublic(key, await resolveKid(key, 'verificationKeys', index))
  }

  const kids = Object.freeze([...publicKeys.keys()])
  const keyring: Keyring = Object.freeze({
    signingKid,
    kids,
    publicJwks: (): PublicJwks => ({ keys: jwks.map((jwk) => ({ ...jwk })) }),
  })
  states.set(keyring, { signingKid, privateKey, publicKeys, jwks })
  return keyring
}

/** The signing key of a keyring made by createKeyring (package-internal). */
export function signingKeyOf(keyring: Keyring): { kid: string; privateKey: CryptoKey } {
  const state = stateOf(keyring)
  return { kid: state.signingKid, privateKey: state.privateKey }
}

/** The public key for `kid`, or undefined when the keyring does not hold it (package-internal). */
export function verificationKeyOf(keyring: Keyring, kid: string): CryptoKey | undefined {
  return stateOf(keyring).publicKeys.get(kid)
}

function stateOf(keyring: Keyring): KeyringState {
  const state = states.get(keyring)
  if (!state) throw new TypeError('keyring was not made by createKeyring or loadKeyring')
  return state
}

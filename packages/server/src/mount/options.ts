import type { Kysely } from 'kysely'
import type { Database } from '@podlaunch/db'
import type { Keyring } from '@podlaunch/tokens'
import type { AuthenticateHook } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import type { ConfigOverrides } from '../config.ts'
import type { ServerDeps } from '../context.ts'
import type { DatasetStore } from '../datasets/store.ts'
import type { ServerHooks } from '../hooks.ts'
import type { Logger } from '../logger.ts'

/**
 * What createPodlaunch takes. Each part is either given ready (a Kysely instance, a keyring, a
 * store, providers, a logger) or made from plain settings (a database URL, a data directory, a
 * signing key); what is left unset gets the same default as `pnpm start`.
 */
export interface PodlaunchOptions {
  /** Where the routes are mounted, e.g. `/api/podlaunch`. Default: the root. */
  basePath?: string | undefined
  /**
   * How pods and clients reach this server, without the basePath (e.g. `https://app.example.com`).
   * Upload, download and pod callback URLs are built from it. Default: http://127.0.0.1:3000.
   */
  publicUrl?: string | undefined
  /** Everything kept on disk: embedded database, keys, datasets, artifacts, local pods. Default: `.podlaunch`. */
  dataDir?: string | undefined

  /** A ready database (not closed by close()). Otherwise one is made from databaseUrl. */
  db?: Kysely<Database> | undefined
  /** A postgres:// URL; without it and without db, embedded PGlite under the data directory. */
  databaseUrl?: string | undefined

  /** A ready keyring. Otherwise one is loaded from signingKey, or generated into the data directory. */
  keyring?: Keyring | undefined
  /** PKCS#8 PEM or JWK of the Ed25519 signing key (see @podlaunch/tokens loadKeyring). */
  signingKey?: string | undefined
  /** More public keys that still verify (rotation), as loadKeyring reads them. */
  verificationKeys?: string | undefined

  /** A ready dataset store. Default: the local store under the data directory. */
  store?: DatasetStore | undefined
  /**
   * Ready providers. Otherwise: `local` (pods as processes under the data directory), and
   * `runpod` when runpod.apiKey is set.
   */
  providers?: ServerDeps['providers'] | undefined
  runpod?: { apiKey: string; baseUrl?: string | undefined } | undefined
  /** The environment local pods start from. Default: PATH, HOME and LANG of this process. */
  localPodEnv?: Record<string, string> | undefined

  /** A ready pino logger. Otherwise one at logLevel (default info) on stdout. */
  logger?: Logger | undefined
  logLevel?: string | undefined
  clock?: Clock | undefined
  /** The library's other settings (limits, timeouts, deployment defaults); see defaultConfig. */
  config?: Omit<ConfigOverrides, 'dataDir' | 'publicUrl' | 'basePath'> | undefined

  /**
   * The administrator start() makes sure of: its key (`pl_…`), or a key generated on first start
   * into `<dataDir>/admin-api-key` (mode 0600). `false`: no administrator is made.
   */
  admin?: { apiKey?: string | undefined } | false | undefined
  /** Maps the host's own session to a podlaunch user (see AuthenticateHook). API keys work beside it. */
  authenticate?: AuthenticateHook | undefined
  /** Origins besides the request's own whose pages may change things with a host session. */
  trustedOrigins?: readonly string[] | undefined
  /** The built admin app (apps/admin/dist) to serve at the basePath's root. */
  adminApp?: string | undefined
  /** Run the reconciler (default true). Several replicas may all run it: one leads at a time. */
  reconciler?: boolean | undefined
  /** Test wiring only. */
  hooks?: ServerHooks | undefined
  /** How long close() waits for requests in flight before it goes on (default 10 s). */
  drainTimeoutMs?: number | undefined
}

import { join } from 'node:path'
import { BOOTSTRAP_DEFAULTS, DEFAULT_IMAGE, type ScriptDefaults } from '@podlaunch/script'

/**
 * Server library configuration; apps/server builds it from the environment. The defaults below
 * are the only ones: an app passes what its operator set and leaves the rest undefined.
 */
export interface ServerConfig {
  /**
   * Base URL pods and clients use to reach this server (its origin, plus any prefix a proxy in
   * front adds), without a trailing slash. Every URL the server hands out is this, then basePath.
   */
  publicUrl: string
  /**
   * Where the routes are mounted below publicUrl: '' (the root, as `pnpm start` serves) or a
   * path such as `/api/podlaunch` (a host app's route). Starts with a slash, no trailing slash.
   */
  basePath: string
  /** Root of everything the server keeps on disk (embedded database, keys, datasets). */
  dataDir: string
  /**
   * Issuer claim of the tokens this server mints. The same on every replica and across
   * restarts (a changing port must not invalidate live tokens), so not derived from the URL.
   */
  issuer: string
  /** Where uploaded and registered dataset bytes live, under server-generated keys. */
  storeDir: string
  /** The data root `datasets.register` accepts files from (files already on the server). */
  importDir: string
  /** Largest dataset accepted, in bytes. */
  maxDatasetBytes: number
  /** Default and maximum lifetime of download URLs, in seconds. */
  downloadTtlSeconds: number
  maxDownloadTtlSeconds: number
  /** What shapes each deployment's script; published to clients for previews. */
  deployments: ScriptDefaults & {
    /** Give up on a pod that has not reported `starting` after this long. */
    provisioningTimeoutSeconds: number
    /** How long a pod's dataset URL stays valid. */
    podDownloadTtlSeconds: number
    /**
     * How long a deployment may sit without a recorded pod before the reconciler looks for its
     * pod by name (a create still under way, or one cut short by a crash).
     */
    pendingGraceSeconds: number
  }
  /** Where artifacts (trained models) pods upload are kept: partial files, then final ones. */
  artifactsDir: string
  /** Largest artifact a pod may declare, in bytes (a deployment's spec may set a lower cap). */
  maxArtifactBytes: number
  /**
   * After a succeeded deployment's last artifact is stored, how long the server waits for the
   * pod's own termination request (sent with its `artifacts_uploaded` report, so the report
   * arrives) before terminating the pod itself.
   */
  artifactTeardownGraceMs: number
  /** Where the local provider runs its pods. */
  podsDir: string
  /** How often the reconciler looks for silent, overdue, over-budget and orphaned pods. */
  reconcileIntervalSeconds: number
}

/** Relative to the working directory of the process that starts the server. */
export const DEFAULT_DATA_DIR = '.podlaunch'
export const DEFAULT_MAX_DATASET_BYTES = 100 * 1024 ** 3
export const DEFAULT_MAX_ARTIFACT_BYTES = 50 * 1024 ** 3

/** What `defaultConfig` takes: `dataDir`, and any other setting; undefined ones get the default. */
export type ConfigOverrides = { [K in Exclude<keyof ServerConfig, 'deployments'>]?: ServerConfig[K] | undefined } & {
  dataDir: string
  deployments?: { [K in keyof ServerConfig['deployments']]?: ServerConfig['deployments'][K] | undefined } | undefined
}

export function defaultConfig(overrides: ConfigOverrides): ServerConfig {
  const { deployments, ...rest } = overrides
  const publicUrl = (overrides.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '')
  return {
    issuer: 'podlaunch',
    storeDir: join(overrides.dataDir, 'store'),
    importDir: join(overrides.dataDir, 'datasets'),
    maxDatasetBytes: DEFAULT_MAX_DATASET_BYTES,
    downloadTtlSeconds: 2 * 3600,
    maxDownloadTtlSeconds: 24 * 3600,
    podsDir: join(overrides.dataDir, 'pods'),
    artifactsDir: join(overrides.dataDir, 'artifacts'),
    maxArtifactBytes: DEFAULT_MAX_ARTIFACT_BYTES,
    artifactTeardownGraceMs: 3000,
    reconcileIntervalSeconds: 30,
    ...definedOnly(rest),
    deployments: { ...DEFAULT_DEPLOYMENT_SETTINGS, ...definedOnly(deployments ?? {}) },
    publicUrl,
    basePath: normalizeBasePath(overrides.basePath ?? ''),
  }
}

/** `/api/podlaunch/` and `api/podlaunch` become `/api/podlaunch`; `/` and '' become ''. */
export function normalizeBasePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '')
  if (trimmed === '') return ''
  if (
    !/^[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/.test(trimmed) ||
    trimmed.split('/').some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new Error(`basePath must be a plain URL path such as /api/podlaunch (got ${JSON.stringify(path)})`)
  }
  return `/${trimmed}`
}

/** The public URL of a route this server serves (`path` as below the basePath, e.g. `/v1/pod/events`). */
export function publicRouteUrl(config: Pick<ServerConfig, 'publicUrl' | 'basePath'>, path: string): string {
  return `${config.publicUrl}${config.basePath}${path}`
}

export const DEFAULT_DEPLOYMENT_SETTINGS: ServerConfig['deployments'] = {
  ...BOOTSTRAP_DEFAULTS,
  defaultProvider: 'local',
  defaultImage: DEFAULT_IMAGE,
  maxRuntimeSeconds: 6 * 3600,
  // Pod tokens live at most 24 h; runtime plus provisioning must fit inside.
  maxRuntimeCapSeconds: 22 * 3600,
  provisioningTimeoutSeconds: 20 * 60,
  podDownloadTtlSeconds: 6 * 3600,
  pendingGraceSeconds: 60,
}

/** Drops undefined values, so an unset setting keeps its default instead of erasing it. */
function definedOnly<T extends object>(values: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>
  }
}

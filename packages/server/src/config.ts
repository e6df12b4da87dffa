import { join } from 'node:path'

/** Server library configuration; apps/server builds it from the environment. */
export interface ServerConfig {
  /** Base URL pods and clients use to reach this server, without a trailing slash. */
  publicUrl: string
  /** Root of everything the server keeps on disk (embedded database, keys, datasets). */
  dataDir: string
  /** Issuer claim of the tokens this server mints. */
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
}

export const DEFAULT_MAX_DATASET_BYTES = 100 * 1024 ** 3

type Required = Pick<ServerConfig, 'dataDir'>

export function defaultConfig(overrides: Partial<ServerConfig> & Required): ServerConfig {
  const publicUrl = (overrides.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '')
  return {
    issuer: publicUrl,
    storeDir: join(overrides.dataDir, 'store'),
    importDir: join(overrides.dataDir, 'datasets'),
    maxDatasetBytes: DEFAULT_MAX_DATASET_BYTES,
    downloadTtlSeconds: 2 * 3600,
    maxDownloadTtlSeconds: 24 * 3600,
    ...overrides,
    publicUrl,
  }
}

/** Server library configuration; apps/server builds it from the environment. */
export interface ServerConfig {
  /** Base URL pods and clients use to reach this server, without a trailing slash. */
  publicUrl: string
  /** Root of everything the server keeps on disk (datasets, embedded database, keys). */
  dataDir: string
  /** Issuer claim of the tokens this server mints. */
  issuer: string
}

export function defaultConfig(overrides: Partial<ServerConfig> & Pick<ServerConfig, 'dataDir'>): ServerConfig {
  const publicUrl = (overrides.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '')
  return { issuer: publicUrl, ...overrides, publicUrl }
}

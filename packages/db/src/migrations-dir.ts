import { fileURLToPath } from 'node:url'

/**
 * The package's migrations folder (the .sql files psql applies). Node-only and not part of the
 * package's main entry: a bundler would try to take the folder in as an asset.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url))

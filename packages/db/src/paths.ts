import { join } from 'node:path'

/** Where embedded PGlite lives inside a podlaunch data directory. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, 'pglite')
}

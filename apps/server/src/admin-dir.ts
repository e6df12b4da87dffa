import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The admin app's built files (apps/admin/dist), when it has been built. */
export function adminAppDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../admin/dist', import.meta.url))
  return existsSync(dir) ? dir : undefined
}

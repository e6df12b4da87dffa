// The packages a user installs, found the way the registry would see them: every workspace
// package under packages/ that is not private. Packed with pnpm, so publishConfig applies.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runOk } from './run.ts'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface PublicPackage {
  name: string
  version: string
  dir: string
  /** The subpaths its published exports map offers ('.', './x'). */
  entries: string[]
}

export async function publicPackages(): Promise<PublicPackage[]> {
  const root = join(REPO_ROOT, 'packages')
  const found: PublicPackage[] = []
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const dir = join(root, entry.name)
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name: string
      version: string
      private?: boolean
      publishConfig?: { exports?: Record<string, unknown> }
    }
    if (manifest.private) continue
    found.push({ name: manifest.name, version: manifest.version, dir, entries: Object.keys(manifest.publishConfig?.exports ?? {}) })
  }
  return found.sort((a, b) => a.name.localeCompare(b.name))
}

/** Packs each package into `dest` (one pnpm run) and maps its name to its tarball's path. */
export async function packPackages(packages: PublicPackage[], dest: string): Promise<Map<string, string>> {
  const filters = packages.flatMap((pkg) => ['--filter', pkg.name])
  await runOk('pnpm', ['--recursive', ...filters, 'pack', '--pack-destination', dest], { cwd: REPO_ROOT })
  return new Map(packages.map((pkg) => [pkg.name, join(dest, tarballName(pkg))]))
}

/** The file name pnpm and npm give a package's tarball: @scope/name 1.0.0 -> scope-name-1.0.0.tgz. */
export function tarballName(pkg: Pick<PublicPackage, 'name' | 'version'>): string {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`
}

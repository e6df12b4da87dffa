// A project outside this repository, as a user would make one: an empty directory under the
// system's temp dir, the packed tarballs, npm (not pnpm, no workspace), and the example's sources.
import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packPackages, publicPackages, REPO_ROOT, runOk, type PublicPackage, type RunResult } from '@podlaunch/packaging'

const EXAMPLE_SRC = fileURLToPath(new URL('../src', import.meta.url))

/** The @types/node this repository compiles with, so the outside project sees the same Node API. */
export const TYPES_NODE = `@types/node@${(createRequire(import.meta.url)('@types/node/package.json') as { version: string }).version}`

export interface OutsideProject {
  dir: string
  packages: PublicPackage[]
  tarballs: Map<string, string>
  close(): Promise<void>
}

export async function createOutsideProject(): Promise<OutsideProject> {
  const dir = await mkdtemp(join(await realpath(tmpdir()), 'podlaunch-consumer-'))
  if (!relative(REPO_ROOT, dir).startsWith('..')) throw new Error(`${dir} is inside the repository; set TMPDIR elsewhere`)
  const packages = await publicPackages()
  const tarballDir = join(dir, 'tarballs')
  await mkdir(tarballDir)
  const tarballs = await packPackages(packages, tarballDir)
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'podlaunch-consumer', private: true, type: 'module' }, null, 2)}\n`)
  await cp(EXAMPLE_SRC, join(dir, 'src'), { recursive: true })
  return { dir, packages, tarballs, close: () => rm(dir, { recursive: true, force: true }) }
}

/** The tarballs of `name` and of the podlaunch packages it depends on, transitively. */
export async function tarballsFor(project: OutsideProject, name: string): Promise<string[]> {
  const seen = new Set<string>()
  const visit = async (current: string) => {
    if (seen.has(current)) return
    seen.add(current)
    const pkg = project.packages.find((candidate) => candidate.name === current)
    if (!pkg) throw new Error(`${current} is not a public package (a published package may not depend on it)`)
    const manifest = JSON.parse(await readFile(join(pkg.dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (dependency.startsWith('@podlaunch/')) await visit(dependency)
    }
  }
  await visit(name)
  return [...seen].map((each) => project.tarballs.get(each)!)
}

/**
 * npm install into the project. The podlaunch tarballs are installed side by side, so each
 * one's dependency on another (an exact version) is met by the tarball, never by the registry.
 */
export function npmInstall(project: OutsideProject, specs: string[]): Promise<RunResult> {
  return runOk('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: project.dir })
}

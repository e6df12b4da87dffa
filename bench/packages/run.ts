// Size of each published tarball, and how long npm takes to install the client into an empty
// project, against installing @trpc/client alone (the transport the client is built on) in the
// same run. Each install gets a fresh project; "cold" also gets an empty npm cache (everything
// downloaded), "warm" reuses the cache of the cold install before it.
// Run from the repository root after `pnpm build`: npx tsx bench/packages/run.ts [rounds=3]
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packPackages, publicPackages, runOk } from '@podlaunch/packaging'
import { readTarball } from './tarball.ts'

const ROUNDS = Number(process.argv[2] ?? 3)
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

const work = await mkdtemp(join(tmpdir(), 'podlaunch-bench-packages-'))
try {
  const packages = await publicPackages()
  const tarballs = await packPackages(packages, work)

  console.log('published tarballs')
  console.log(`${'package'.padEnd(22)} ${'packed'.padStart(11)} ${'unpacked'.padStart(11)} ${'files'.padStart(6)}`)
  let clientTrpc = ''
  for (const pkg of packages) {
    const contents = await readTarball(tarballs.get(pkg.name)!)
    const unpacked = contents.files.reduce((sum, file) => sum + file.bytes, 0)
    console.log(
      `${pkg.name.padEnd(22)} ${kib(contents.packedBytes).padStart(11)} ${kib(unpacked).padStart(11)} ${String(contents.files.length).padStart(6)}`,
    )
    if (pkg.name === '@podlaunch/client') clientTrpc = `@trpc/client@${contents.manifest.dependencies?.['@trpc/client']}`
  }

  // The client's tarball and the contract's, which it depends on at the same version.
  const cases = {
    '@podlaunch/client': [tarballs.get('@podlaunch/client')!, tarballs.get('@podlaunch/contract')!],
    [`${clientTrpc} (peer)`]: [clientTrpc],
  }
  const results = new Map<string, { cold: number[]; warm: number[]; packages: number; bytes: number }>()
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so neither side always meets the registry first.
    const names = Object.keys(cases)
    for (const name of round % 2 ? names.reverse() : names) {
      const cache = join(work, `cache-${round}-${results.size}-${name.replace(/\W+/g, '-')}`)
      const cold = await install(cases[name]!, cache)
      const warm = await install(cases[name]!, cache)
      const entry = results.get(name) ?? { cold: [], warm: [], ...warm.footprint }
      entry.cold.push(cold.ms)
      entry.warm.push(warm.ms)
      results.set(name, entry)
    }
  }

  console.log(`\nnpm install into an empty project (median of ${ROUNDS})`)
  console.log(
    `${'installing'.padEnd(34)} ${'cold'.padStart(8)} ${'warm'.padStart(8)} ${'packages'.padStart(9)} ${'node_modules'.padStart(13)}`,
  )
  for (const [name, entry] of results) {
    const cells = [median(entry.cold), median(entry.warm)].map((ms) => `${(ms / 1000).toFixed(2)} s`.padStart(8))
    console.log(`${name.padEnd(34)} ${cells.join(' ')} ${String(entry.packages).padStart(9)} ${kib(entry.bytes).padStart(13)}`)
  }
} finally {
  await rm(work, { recursive: true, force: true })
}

async function install(specs: string[], cache: string) {
  const project = await mkdtemp(join(work, 'project-'))
  await writeFile(join(project, 'package.json'), '{ "name": "empty", "private": true, "type": "module" }\n')
  await mkdir(cache, { recursive: true })
  const args = ['install', '--no-audit', '--no-fund', '--loglevel=error', '--cache', cache, ...specs]
  const { ms } = await runOk('npm', args, { cwd: project })
  return { ms, footprint: await footprint(join(project, 'node_modules')) }
}

/** Packages installed (each directory with a package.json) and their bytes on disk. */
async function footprint(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  const files = entries.filter((entry) => entry.isFile())
  const packages = files.filter(
    (entry) => entry.name === 'package.json' && /node_modules\/(@[^/]+\/)?[^/@]+$/.test(entry.parentPath),
  ).length
  const sizes = await Promise.all(files.map((entry) => stat(join(entry.parentPath, entry.name)).then((info) => info.size)))
  return { packages, bytes: sizes.reduce((sum, size) => sum + size, 0) }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

// Download throughput of the mounted library: one 1 GiB file through the fetch handler (served
// by a plain Node HTTP server that calls it, as a host would) and through the Node listener, in
// the same process and the same run, alternating, with curl on loopback.
// Run from the repository root: npx tsx bench/mount/run.ts [rounds=5] [sizeMiB=1024]
// Uses embedded PGlite, or Postgres when DATABASE_URL is set. Needs curl.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { fmt, median, requireTool, writeRandomFile } from '../support/peers.ts'
import { curlDownload, runBench, type BenchLeftovers } from '../support/run-bench.ts'

const ROUNDS = Math.max(3, Number(process.argv[2] ?? 5))
const SIZE_MIB = Number(process.argv[3] ?? 1024)
const SIZE = SIZE_MIB * 1024 * 1024
const TARGET_RATIO = 0.8

async function main(leftovers: BenchLeftovers) {
  await requireTool('curl', ['--version'], 'apt-get install -y curl')
  const workDir = await mkdtemp(join(tmpdir(), 'podlaunch-bench-mount-'))
  leftovers.dirs.push(workDir)
  const importDir = join(workDir, 'import')
  await mkdir(importDir)
  process.stdout.write(`writing a ${SIZE_MIB} MiB random file… `)
  await writeRandomFile(join(importDir, 'big.bin'), SIZE)
  console.log('done')

  const urls = await startServer(importDir, leftovers)
  const names = ['fetch', 'node', 'fetchDefault'] as const
  console.log(
    `database: ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PGlite'}; both adapters in one process (pid ${urls.pid})`,
  )
  // Warm the page cache and both paths once.
  for (const name of names) await curlDownload(urls[name], SIZE)

  const speeds = { node: [] as number[], fetch: [] as number[], fetchDefault: [] as number[] }
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order, so load from elsewhere does not always hit the same path.
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!
      speeds[name].push(await curlDownload(urls[name], SIZE))
    }
    console.log(`round ${round + 1}: ${names.map((name) => `${name} ${fmt(speeds[name].at(-1)!)}`).join(', ')} MB/s`)
  }
  const n = median(speeds.node)
  console.log('')
  console.log(`single download, median of ${ROUNDS} (curl to /dev/null, ${SIZE_MIB} MiB):`)
  console.log(`  Node listener                        ${fmt(n)} MB/s   [${speeds.node.map(fmt).join(', ')}]`)
  for (const [name, label] of [
    ['fetch', 'fetch handler, host reads BYOB'],
    ['fetchDefault', 'fetch handler, host default reader'],
  ] as const) {
    const ratio = median(speeds[name]) / n
    const paired = median(speeds[name].map((value, i) => value / speeds.node[i]!))
    console.log(`  ${label.padEnd(36)} ${fmt(median(speeds[name]))} MB/s   [${speeds[name].map(fmt).join(', ')}]`)
    console.log(
      `    ratio to Node: ${ratio.toFixed(2)}, paired per round ${paired.toFixed(2)} (target >= ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'MISSED'}`,
    )
  }
}

async function startServer(
  importDir: string,
  leftovers: BenchLeftovers,
): Promise<{ node: string; fetch: string; fetchDefault: string; pid: number }> {
  const script = fileURLToPath(new URL('./serve-mounted.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, importDir, 'big.bin'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  })
  leftovers.children.push(child)
  for await (const line of createInterface({ input: child.stdout! }))
    return JSON.parse(line) as { node: string; fetch: string; fetchDefault: string; pid: number }
  throw new Error(`the server exited with ${child.exitCode}`)
}

await runBench(main)

// Download throughput: podlaunch's real request handler against nginx (sendfile) serving the same
// 1 GiB random file on loopback, measured in the same run with curl; then podlaunch's RSS growth
// during 16 concurrent full downloads.
// Run from the repository root: npx tsx bench/download/run.ts [rounds=3] [sizeMiB=1024]
// Uses embedded PGlite, or Postgres when DATABASE_URL is set. Needs curl and nginx on PATH.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { fmt, median, requireTool, startNginx, writeRandomFile } from '../support/peers.ts'
import { curlDownload } from '../support/run-bench.ts'

const ROUNDS = Math.max(3, Number(process.argv[2] ?? 3))
const SIZE_MIB = Number(process.argv[3] ?? 1024)
const SIZE = SIZE_MIB * 1024 * 1024
const CONCURRENT = 16
const TARGET_RATIO = 0.8
const TARGET_RSS_MIB = 64

const children: ChildProcess[] = []
let workDir: string | undefined

async function main() {
  await requireTool('curl', ['--version'], 'apt-get install -y curl')
  await requireTool('nginx', ['-v'], 'apt-get update && apt-get install -y nginx-light   (or: nginx)')

  workDir = await mkdtemp(join(tmpdir(), 'podlaunch-bench-download-'))
  const importDir = join(workDir, 'import')
  await mkdir(importDir)
  const file = join(importDir, 'big.bin')
  process.stdout.write(`writing a ${SIZE_MIB} MiB random file… `)
  await writeRandomFile(file, SIZE)
  console.log('done')

  const nginx = await startNginx(join(workDir, 'nginx'), importDir, { http: 'sendfile on; tcp_nopush on;', readyPath: '/big.bin' })
  children.push(nginx.child)
  const nginxUrl = nginx.url
  const podlaunch = await startPodlaunch(importDir)
  console.log(`podlaunch: pid ${podlaunch.pid}, database ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PGlite'}`)
  const urls = { podlaunch: podlaunch.url, nginx: `${nginxUrl}/big.bin` }

  // Warm the page cache and both servers once.
  await curlDownload(urls.nginx, SIZE)
  await curlDownload(urls.podlaunch, SIZE)

  const speeds: Record<keyof typeof urls, number[]> = { podlaunch: [], nginx: [] }
  for (let round = 0; round < ROUNDS; round++) {
    const order: Array<keyof typeof urls> = round % 2 === 0 ? ['podlaunch', 'nginx'] : ['nginx', 'podlaunch']
    for (const name of order) speeds[name].push(await curlDownload(urls[name], SIZE))
    console.log(`round ${round + 1}: podlaunch ${fmt(speeds.podlaunch.at(-1)!)} MB/s, nginx ${fmt(speeds.nginx.at(-1)!)} MB/s`)
  }
  const p = median(speeds.podlaunch)
  const n = median(speeds.nginx)
  const ratio = p / n
  // Paired per round: both servers measured back to back, so load from elsewhere hits both.
  const pairedRatio = median(speeds.podlaunch.map((value, i) => value / speeds.nginx[i]!))

  const rss = await concurrentRss(podlaunch.pid, urls.podlaunch)

  console.log('')
  console.log(`single download, median of ${ROUNDS} (curl to /dev/null, ${SIZE_MIB} MiB):`)
  console.log(`  podlaunch  ${fmt(p)} MB/s   [${speeds.podlaunch.map(fmt).join(', ')}]`)
  console.log(`  nginx      ${fmt(n)} MB/s   [${speeds.nginx.map(fmt).join(', ')}]`)
  console.log(`  ratio podlaunch/nginx: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'MISSED'}`)
  console.log(`  paired ratio (median over rounds of podlaunch/nginx in the same round): ${pairedRatio.toFixed(2)}`)
  console.log(
    `${CONCURRENT} concurrent full downloads from podlaunch: ${fmt(rss.aggregateMBps)} MB/s aggregate in ${rss.seconds.toFixed(1)} s`,
  )
  console.log(
    `  RSS ${mib(rss.baseline)} MiB before, peak ${mib(rss.peak)} MiB: growth ${mib(rss.peak - rss.baseline)} MiB (target <= ${TARGET_RSS_MIB}) ${
      rss.peak - rss.baseline <= TARGET_RSS_MIB * 1024 * 1024 ? 'OK' : 'MISSED'
    }; VmHWM ${mib(rss.hwmBefore)} -> ${mib(rss.hwmAfter)} MiB`,
  )
}

async function startPodlaunch(importDir: string): Promise<{ url: string; pid: number }> {
  const tsx = import.meta.resolve('tsx')
  const script = fileURLToPath(new URL('./serve-podlaunch.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', tsx, script, importDir, 'big.bin'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  })
  children.push(child)
  const lines = createInterface({ input: child.stdout! })
  for await (const line of lines) {
    const ready = JSON.parse(line) as { url: string; pid: number }
    return ready
  }
  throw new Error(`the podlaunch server exited with ${child.exitCode}`)
}

async function memory(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') }
}

async function concurrentRss(pid: number, url: string) {
  const before = await memory(pid)
  let peak = before.rss
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, (await memory(pid)).rss)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENT }, () => curlDownload(url, SIZE)))
  const seconds = (performance.now() - started) / 1000
  sampling = false
  await sampler
  const after = await memory(pid)
  return {
    baseline: before.rss,
    peak,
    hwmBefore: before.hwm,
    hwmAfter: after.hwm,
    seconds,
    aggregateMBps: (CONCURRENT * SIZE) / seconds / 1e6,
  }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

async function cleanup() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))])
    }
  }
  if (workDir) await rm(workDir, { recursive: true, force: true })
}

process.once('SIGINT', () => void cleanup().then(() => process.exit(130)))
try {
  await main()
} finally {
  await cleanup()
}

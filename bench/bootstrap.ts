// Bootstrap overhead: time from spawning the script to the training command's
// first instruction, minus the download time the script itself measured, so
// only the script's own work counts (checks, reports, system info, digest,
// background loops). The peer is the least a hand-written script does: curl
// -o, sha256sum, run the command. Both run against the same loopback server,
// interleaved, in the same process.
// Run from the repo root: npx tsx bench/bootstrap.ts
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBootstrapScript } from '../packages/script/src/index.ts'

const RUNS = Number(process.env.RUNS ?? 15)
const DATASET = Buffer.alloc(8 * 1024 * 1024, 7)
const SHA = createHash('sha256').update(DATASET).digest('hex')
const TOKEN = 'bench-pod-token'
const TRAIN = 'printf %s "$EPOCHREALTIME" >train-started'

const PEER = `#!/usr/bin/env bash
set -euo pipefail
cd "$PODLAUNCH_WORKDIR"
t0=$EPOCHREALTIME
curl -fsS -o dataset "$PODLAUNCH_DATASET_URL"
t1=$EPOCHREALTIME
echo "$t0 $t1" >download-times
echo "$PODLAUNCH_DATASET_SHA256  dataset" | sha256sum -c --quiet
bash -c ${"'" + TRAIN + "'"}
`

interface Sample {
  overheadMs: number
  downloadMs: number
}

async function main(): Promise<void> {
  let downloadSeconds = new Map<string, number>()
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-length': DATASET.length })
      res.end(DATASET)
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: { kind?: string; data?: { seconds: number } }[] }
      const dep = new URL(req.url ?? '/', 'http://x').searchParams.get('dep') ?? ''
      for (const e of body.events) if (e.kind === 'download_complete' && e.data) downloadSeconds.set(dep, e.data.seconds)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const script = buildBootstrapScript({ trainCommand: TRAIN, keepAliveSeconds: 0, onFinish: 'exit' })

  const run = async (kind: 'podlaunch' | 'peer', i: number): Promise<Sample> => {
    const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`))
    const file = join(dir, 'script.sh')
    writeFileSync(file, kind === 'peer' ? PEER : script)
    const dep = `${kind}-${i}`
    const env = {
      PATH: process.env.PATH,
      PODLAUNCH_WORKDIR: join(dir, 'work'),
      PODLAUNCH_DATASET_URL: `${origin}/dataset`,
      PODLAUNCH_DATASET_SHA256: SHA,
      PODLAUNCH_DATASET_SIZE: String(DATASET.length),
      PODLAUNCH_EVENTS_URL: `${origin}/events?dep=${dep}`,
      PODLAUNCH_POD_TOKEN: TOKEN,
      PODLAUNCH_DEPLOYMENT_ID: dep,
    }
    if (kind === 'peer') await new Promise((r) => spawn('mkdir', ['-p', env.PODLAUNCH_WORKDIR]).on('exit', r))
    const t0 = performance.timeOrigin + performance.now()
    const code = await new Promise<number | null>((resolve) => {
      spawn('bash', [file], { env, stdio: 'ignore' }).on('exit', resolve)
    })
    if (code !== 0) throw new Error(`${kind} run ${i} exited with ${code}`)
    const started = Number(readFileSync(join(env.PODLAUNCH_WORKDIR, 'train-started'), 'utf8').replace(',', '.')) * 1000
    let downloadMs: number
    if (kind === 'peer') {
      const [a, b] = readFileSync(join(env.PODLAUNCH_WORKDIR, 'download-times'), 'utf8').trim().split(' ').map(Number)
      downloadMs = ((b ?? 0) - (a ?? 0)) * 1000
    } else {
      downloadMs = (downloadSeconds.get(dep) ?? Number.NaN) * 1000
    }
    rmSync(dir, { recursive: true, force: true })
    return { overheadMs: started - t0 - downloadMs, downloadMs }
  }

  const results = { podlaunch: [] as Sample[], peer: [] as Sample[] }
  await run('podlaunch', -1) // warm caches
  await run('peer', -1)
  for (let i = 0; i < RUNS; i++) {
    results.podlaunch.push(await run('podlaunch', i))
    results.peer.push(await run('peer', i))
  }
  server.close()
  downloadSeconds = new Map()

  const pct = (xs: number[], p: number): number => {
    const s = [...xs].sort((a, b) => a - b)
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN
  }
  console.log(
    `bootstrap overhead to training start, download time subtracted (${RUNS} runs each, ${DATASET.length / 1048576} MiB over loopback)`,
  )
  for (const [name, xs] of Object.entries(results)) {
    const o = xs.map((x) => x.overheadMs)
    const d = xs.map((x) => x.downloadMs)
    console.log(
      `${name.padEnd(10)} overhead median ${pct(o, 50).toFixed(1)} ms, p90 ${pct(o, 90).toFixed(1)} ms` +
        `  (download median ${pct(d, 50).toFixed(1)} ms)`,
    )
  }
  const p90 = pct(
    results.podlaunch.map((x) => x.overheadMs),
    90,
  )
  console.log(p90 <= 1000 ? `target met: p90 ${p90.toFixed(1)} ms <= 1000 ms` : `TARGET MISSED: p90 ${p90.toFixed(1)} ms > 1000 ms`)
}

await main()

// Artifact upload throughput: a 1 GiB artifact PUT over loopback with curl -T to podlaunch's
// upload endpoint (pod token, Content-Range resumable, sha256 checked server-side) against
// curl -T to nginx's WebDAV PUT (dav_methods PUT, client_max_body_size 0) in the same run.
// Then one real deployment on the local provider: seconds from `succeeded` to the pod
// terminated, i.e. the pod-seconds saved against the one-hour keep-alive.
// Run from the repository root: npx tsx bench/artifacts/run.ts [rounds=3] [sizeMiB=1024]
// Uses embedded PGlite, or Postgres when DATABASE_URL is set. Needs curl and nginx on PATH.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { measurePodSeconds } from './pod-seconds.ts'
import { fmt, median, requireTool, startNginx, writeRandomFile } from '../support/peers.ts'

const ROUNDS = Math.max(3, Number(process.argv[2] ?? 3))
const SIZE_MIB = Number(process.argv[3] ?? 1024)
const SIZE = SIZE_MIB * 1024 * 1024
const TARGET_RATIO = 0.8
const KEEP_ALIVE_SECONDS = 3600

const children: ChildProcess[] = []
let workDir: string | undefined

interface Podlaunch {
  artifactsUrl: string
  token: string
  pid: number
  artifactsDir: string
}

async function main() {
  await requireTool('curl', ['--version'], 'apt-get install -y curl')
  await requireTool('nginx', ['-v'], 'apt-get update && apt-get install -y nginx')

  workDir = await mkdtemp(join(tmpdir(), 'podlaunch-bench-artifacts-'))
  const file = join(workDir, 'artifact.bin')
  process.stdout.write(`writing a ${SIZE_MIB} MiB random file… `)
  const sha256 = await writeRandomFile(file, SIZE)
  console.log('done')

  const davRoot = join(workDir, 'dav')
  await mkdir(davRoot)
  // The body temp path sits on the same file system as the root, so nginx finishes a PUT with a
  // rename, as podlaunch does.
  const nginx = await startNginx(join(workDir, 'nginx'), davRoot, {
    location: 'dav_methods PUT; create_full_put_path on; client_max_body_size 0;',
  })
  children.push(nginx.child)
  const nginxUrl = nginx.url
  const podlaunch = await startPodlaunch()
  console.log(
    `podlaunch: pid ${podlaunch.pid}, database ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PGlite'}; nginx ${nginxUrl}`,
  )

  let n = 0
  const uploads = {
    podlaunch: async () => {
      const url = await declare(podlaunch, `round-${++n}.bin`, sha256)
      const speed = await curlUpload(file, url, podlaunch.token)
      await emptyDir(podlaunch.artifactsDir)
      return speed
    },
    nginx: async () => {
      const speed = await curlUpload(file, `${nginxUrl}/round-${++n}.bin`)
      await emptyDir(davRoot)
      return speed
    },
  }
  // Warm the page cache and both servers once.
  await uploads.nginx()
  await uploads.podlaunch()

  const speeds: Record<keyof typeof uploads, number[]> = { podlaunch: [], nginx: [] }
  for (let round = 0; round < ROUNDS; round++) {
    const order: Array<keyof typeof uploads> = round % 2 === 0 ? ['podlaunch', 'nginx'] : ['nginx', 'podlaunch']
    for (const name of order) speeds[name].push(await uploads[name]())
    console.log(`round ${round + 1}: podlaunch ${fmt(speeds.podlaunch.at(-1)!)} MB/s, nginx ${fmt(speeds.nginx.at(-1)!)} MB/s`)
  }
  const p = median(speeds.podlaunch)
  const x = median(speeds.nginx)
  const pairedRatio = median(speeds.podlaunch.map((value, i) => value / speeds.nginx[i]!))

  process.stdout.write('running one deployment on the local provider for the teardown time… ')
  const teardown = await measurePodSeconds()
  console.log('done')

  console.log('')
  console.log(`single upload, median of ${ROUNDS} (curl -T, ${SIZE_MIB} MiB, loopback):`)
  console.log(
    `  podlaunch  ${fmt(p)} MB/s   [${speeds.podlaunch.map(fmt).join(', ')}]  (pod token, sha256 verified, stored under the data root)`,
  )
  console.log(`  nginx      ${fmt(x)} MB/s   [${speeds.nginx.map(fmt).join(', ')}]  (WebDAV PUT, no verification)`)
  console.log(`  ratio podlaunch/nginx: ${(p / x).toFixed(2)} (target >= ${TARGET_RATIO}) ${p / x >= TARGET_RATIO ? 'OK' : 'MISSED'}`)
  console.log(`  paired ratio (median over rounds of podlaunch/nginx in the same round): ${pairedRatio.toFixed(2)}`)
  console.log(
    `teardown: succeeded -> pod terminated in ${teardown.seconds.toFixed(2)} s (artifact ${(teardown.artifactBytes / 1e6).toFixed(1)} MB); ` +
      `pod-seconds saved per successful deployment vs the ${KEEP_ALIVE_SECONDS} s keep-alive: ${(KEEP_ALIVE_SECONDS - teardown.seconds).toFixed(1)}`,
  )
}

async function startPodlaunch(): Promise<Podlaunch> {
  const tsx = import.meta.resolve('tsx')
  const script = fileURLToPath(new URL('./serve-podlaunch.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', tsx, script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  })
  children.push(child)
  for await (const line of createInterface({ input: child.stdout! })) return JSON.parse(line) as Podlaunch
  throw new Error(`the podlaunch server exited with ${child.exitCode}`)
}

/** POST /v1/pod/artifacts; returns the upload URL. */
async function declare(server: Podlaunch, name: string, sha256: string): Promise<string> {
  const res = await fetch(server.artifactsUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, sizeBytes: SIZE, sha256 }),
  })
  const body = (await res.json()) as { uploadUrl?: string }
  if (res.status !== 201 || !body.uploadUrl) throw new Error(`declare failed: ${res.status} ${JSON.stringify(body)}`)
  return body.uploadUrl
}

/** One curl -T upload (the token through -K - on stdin, as the pod script does); returns MB/s. */
async function curlUpload(file: string, url: string, token?: string): Promise<number> {
  const args = ['-sS', '-T', file, '-H', 'Expect:', '-o', '/dev/null', '-w', '%{http_code} %{size_upload} %{time_total}']
  if (token) args.push('-K', '-')
  const child = spawn('curl', [...args, url], { stdio: ['pipe', 'pipe', 'inherit'] })
  child.stdin.end(token ? `header = "Authorization: Bearer ${token}"\n` : '')
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  await once(child, 'exit')
  const [code, size, seconds] = out.trim().split(' ')
  if (!['200', '201', '204'].includes(code ?? '') || Number(size) !== SIZE)
    throw new Error(`upload to ${url.replace(/token=[^&]+/, 'token=…')} failed: ${out}`)
  return Number(size) / Number(seconds) / 1e6
}

async function emptyDir(dir: string) {
  for (const name of await readdir(dir)) if (name !== '.partial') await rm(join(dir, name), { force: true })
}

async function cleanup() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))])
    }
  }
  // The 1 GiB source file and whatever the servers kept.
  if (workDir) await rm(workDir, { recursive: true, force: true })
}

process.once('SIGINT', () => void cleanup().then(() => process.exit(130)))
try {
  await main()
} finally {
  await cleanup()
}

// bench/create: deployments.create against runpod-sim (no added latency) on real Postgres,
// 16 concurrent callers through the typed client over HTTP. Peers in the same run: the `me`
// query (tRPC + API-key auth, no work) and a raw POST /v2/pods to the simulator.
//   npx tsx bench/create/run.ts [creates=400] [concurrency=16]
// The simulator runs in a process of its own (as RunPod is elsewhere), so the figure is the
// server's and its client's; pass SIM_IN_PROCESS=1 to run it inside this process instead.
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres'

const { createTestDatabase } = await import('@podlaunch/db/testing')
const { createRunpodProvider } = await import('@podlaunch/providers')
const { startTestServer, createReadyDataset } = await import('@podlaunch/server/testing')
const { startRunpodSim } = await import('@podlaunch/runpod-sim')
const { spawn } = await import('node:child_process')
const { fileURLToPath } = await import('node:url')
const { mkdtemp, rm } = await import('node:fs/promises')
const { tmpdir } = await import('node:os')
const { join } = await import('node:path')

async function simProcess(): Promise<{ url: string; apiKey: string; close(): Promise<void> }> {
  const dir = fileURLToPath(new URL('../../packages/runpod-sim/', import.meta.url))
  const workRoot = await mkdtemp(join(tmpdir(), 'podlaunch-bench-sim-'))
  const child = spawn(`${dir}node_modules/.bin/tsx`, ['src/main.ts'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', RUNPOD_SIM_PROVISIONING_MS: '3600000', RUNPOD_SIM_WORK_ROOT: workRoot },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  for await (const chunk of child.stdout!) {
    out += String(chunk)
    const url = /listening: (\S+)/.exec(out)?.[1]
    const apiKey = /api key: (\S+)/.exec(out)?.[1]
    if (url && apiKey) {
      return {
        url,
        apiKey,
        close: async () => {
          child.kill('SIGTERM')
          await rm(workRoot, { recursive: true, force: true })
        },
      }
    }
  }
  throw new Error(`runpod-sim did not start: ${out}`)
}
const { createClient } = await import('@podlaunch/client')

const total = Number(process.argv[2] ?? 400)
const concurrency = Number(process.argv[3] ?? 16)

// Pods never leave PROVISIONING during the run, so no pod process competes for the CPU.
const sim = process.env.SIM_IN_PROCESS ? await startRunpodSim({ provisioningMs: 3_600_000 }) : await simProcess()
const database = await createTestDatabase({ maxConnections: 20 })
const server = await startTestServer(database.db, {
  providers: { runpod: createRunpodProvider({ apiKey: sim.apiKey, baseUrl: sim.url }) },
  config: { deployments: { defaultProvider: 'runpod' } },
})
const user = await server.user('bench')
const dataset = await createReadyDataset(server.deps, user.id, 'a,b\n1,2\n', 'bench.csv')
const client = createClient({ url: server.url, apiKey: user.apiKey })

async function measure(label: string, count: number, call: (i: number) => Promise<unknown>) {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++
        const t0 = performance.now()
        await call(i)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1)
  console.log(`${label.padEnd(28)} n=${count} p50=${pct(50)} ms p99=${pct(99)} ms  ${(count / seconds).toFixed(0)}/s`)
}

const spec = (i: number) => ({
  name: `bench-${i}`,
  datasetId: dataset.id,
  provider: 'runpod' as const,
  gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
  trainCommand: 'python3 train.py',
})
const simBody = (i: number) => ({
  name: `peer-${i}`,
  image: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
  gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 },
  cloud: 'SECURE',
  env: { A: 'b' },
  args: 'sleep infinity',
})

try {
  // Warm-up: JIT, connection pools, prepared plans.
  for (let i = 0; i < 20; i++) await client.deployments.create.mutate(spec(-i - 1))
  console.log(`concurrency ${concurrency}, database ${new URL(process.env.DATABASE_URL).host}`)
  await measure('peer: me (tRPC + auth)', total, () => client.me.query())
  await measure('peer: sim POST /v2/pods', total, (i) =>
    fetch(`${sim.url}/pods`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(simBody(i)),
    }).then((res) => res.arrayBuffer()),
  )
  await measure('deployments.create', total, (i) => client.deployments.create.mutate(spec(i)))
  const failed = await database.db.selectFrom('deployments').select('id').where('status', '!=', 'provisioning').execute()
  console.log(`deployments not provisioning after the run: ${failed.length}`)
} finally {
  await server.close()
  await sim.close()
  await database.close()
}

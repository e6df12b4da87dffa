// Builds and starts this Next.js app as a user would (`next build`, `next start`), with the tsx
// loader the workspace's TypeScript packages need (see package.json).
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { freePort } from '@podlaunch/server/testing'

export const APP_DIR = fileURLToPath(new URL('..', import.meta.url))
const NEXT = `${APP_DIR}/node_modules/.bin/next`

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_OPTIONS: '--import tsx',
    ...extra,
  }
}

/** `next build`; returns its duration in seconds, or throws with its output. */
export async function buildApp(): Promise<number> {
  const started = performance.now()
  const child = spawn(NEXT, ['build'], { cwd: APP_DIR, env: baseEnv({ NODE_ENV: 'production' }) })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`next build failed (${code}):\n${output}`)
  return (performance.now() - started) / 1000
}

export interface RunningApp {
  url: string
  output(): string
  stop(): Promise<void>
}

/** `next start` on a free loopback port with `env`; resolves once podlaunch answers through it. */
export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(NEXT, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: APP_DIR,
    env: baseEnv({ NODE_ENV: 'production', PUBLIC_URL: url, ...env }),
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const exited = once(child, 'exit')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`)
    const ok = await fetch(`${url}/api/podlaunch/healthz`).then(
      (res) => res.status === 200,
      () => false,
    )
    if (ok) return { url, output: () => output, stop }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await stop()
  throw new Error(`next start did not answer:\n${output}`)
}

// Starts the real podlaunch server (apps/server) as a child process, the way `pnpm start` does.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

export interface ServerProcess {
  url: string
  child: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

/** A port free right now. The server needs a real one: it derives the URL pods call back on from PORT. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

function tsxBin(appDir: string): string {
  const candidates = [join(appDir, 'node_modules/.bin/tsx'), join(appDir, '../server/node_modules/.bin/tsx')]
  const found = candidates.find((path) => existsSync(path))
  if (!found) throw new Error(`tsx not found in ${candidates.join(' or ')}`)
  return found
}

export async function startServerProcess(options: { appDir: string; dataDir: string; apiKey: string }): Promise<ServerProcess> {
  const port = await freePort()
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PORT: String(port),
    PODLAUNCH_DATA_DIR: options.dataDir,
    PODLAUNCH_ADMIN_API_KEY: options.apiKey,
    PODLAUNCH_HEARTBEAT_SECONDS: '1',
    PODLAUNCH_SHIP_INTERVAL_SECONDS: '1',
    PODLAUNCH_RECONCILE_INTERVAL_SECONDS: '2',
    LOG_LEVEL: 'warn',
  }
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL
  const serverDir = join(options.appDir, '../server')
  // `--import tsx` style is avoided: the server app starts exactly as its own `start` script does.
  const child = spawn(tsxBin(options.appDir), ['src/main.ts'], { cwd: serverDir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }
  // With LOG_LEVEL=warn the "listening" line (info) is not printed: poll /healthz on the port
  // chosen above, and take the logged URL when a lower level prints it.
  const known = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const match = output.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/)
    if (match?.[1]) return { url: match[1], child, output: () => output, stop }
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${output}`)
    const healthy = await fetch(`${known}/healthz`).then(
      (res) => res.ok,
      () => false,
    )
    if (healthy) return { url: known, child, output: () => output, stop }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  await stop()
  throw new Error(`the server did not start within 60 s:\n${output}`)
}

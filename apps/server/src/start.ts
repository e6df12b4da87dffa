import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLogger, createPodlaunch, type Logger, type ServerHooks, type StartResult } from '@podlaunch/server'
import { adminAppDir } from './admin-dir.ts'
import type { Env } from './env.ts'
import { podlaunchOptionsOf } from './podlaunch-options.ts'

export interface RunningServer {
  url: string
  server: Server
  close(): Promise<void>
}

export interface StartOptions {
  logger?: Logger
  /** Test wiring only (crash-recovery tests); `pnpm start` sets none. */
  hooks?: ServerHooks
}

/** Listens, then hands every request to the server library: env -> options -> listen. */
export async function startServer(env: Env, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL })
  const server = createServer()
  // Dataset and artifact uploads stream for as long as they need; Node's default cuts any
  // request body still arriving after 5 minutes.
  server.requestTimeout = 0
  // Listen first: with PORT=0 the public URL (which pods call back on) needs the real port.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(env.PORT, env.HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`

  const podlaunch = createPodlaunch({ ...podlaunchOptionsOf(env, port), logger, hooks: options.hooks, adminApp: adminAppDir() })
  // Requests arriving while it starts wait for the start.
  server.on('request', podlaunch.handler)
  let started: StartResult
  try {
    started = await podlaunch.start()
  } catch (error) {
    server.close()
    server.closeAllConnections()
    throw error
  }
  if (started.generatedAdminKey) {
    const { key, file } = started.generatedAdminKey
    // Printed once, on the terminal only, never through the JSON log.
    process.stderr.write(`\nAdmin API key (shown once; also saved to ${file}, mode 0600):\n  ${key}\n\n`)
  }
  logger.info({ url, publicUrl: podlaunch.config.publicUrl }, 'podlaunch listening')

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting; podlaunch ends open streams and waits for requests in flight, then the rest is cut.
      const drained = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await podlaunch.close()
      server.closeAllConnections()
      await drained
    })())
  return { url, server, close }
}

import { ConfigError, parseEnv } from './env.ts'
import { startServer, type StartOptions } from './start.ts'

/**
 * What `pnpm start` does: read the environment, start, stop cleanly on SIGTERM or SIGINT. A bad
 * variable exits 2 with one line naming it; a failed start exits 1.
 */
export function runServer(options: Omit<StartOptions, 'logger'> = {}): void {
  run(options).catch((error: unknown) => {
    console.error(`podlaunch: failed to start: ${(error as Error).message}`)
    process.exit(1)
  })
}

async function run(options: Omit<StartOptions, 'logger'>) {
  let env
  try {
    env = parseEnv()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`podlaunch: ${error.message}`)
      process.exit(2)
    }
    throw error
  }
  const running = await startServer(env, options)
  let signals = 0
  const stop = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(1)
    console.error(`podlaunch: ${signal} received, shutting down`)
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

// `pnpm start`: run the podlaunch server from the environment.
import { ConfigError, parseEnv } from './env.ts'
import { startServer } from './start.ts'

async function main() {
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
  const running = await startServer(env)
  let signals = 0
  const stop = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(1)
    console.error(`podlaunch: ${signal} received, shutting down`)
    running.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error: unknown) => {
  console.error(`podlaunch: failed to start: ${(error as Error).message}`)
  process.exit(1)
})

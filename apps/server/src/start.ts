import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createDatabase, embeddedDatabaseDir, migrate } from '@podlaunch/db'
import { createLocalProvider, createRunpodProvider } from '@podlaunch/providers'
import {
  AppError,
  createEventBus,
  createLocalDatasetStore,
  createLogger,
  createRequestHandler,
  ensureAdmin,
  startReconciler,
  sendError,
  systemClock,
  type Logger,
  type ServerDeps,
  type ServerHooks,
} from '@podlaunch/server'
import { createRevocationStore, loadKeyring } from '@podlaunch/tokens'
import { adminAppDir } from './admin-dir.ts'
import type { Env } from './env.ts'
import { serverConfigOf } from './server-config.ts'

export interface RunningServer {
  url: string
  server: Server
  close(): Promise<void>
}

const DRAIN_TIMEOUT_MS = 10_000

export interface StartOptions {
  logger?: Logger
  /** Test wiring only (crash-recovery tests); `pnpm start` sets none. */
  hooks?: ServerHooks
}

/** Opens the database, migrates, makes sure an admin exists, listens. Apps only wire packages. */
export async function startServer(env: Env, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL })
  await mkdir(env.dataDir, { recursive: true, mode: 0o700 })
  const keyring = await loadKeyring({
    dataDir: env.dataDir,
    signingKey: env.PODLAUNCH_SIGNING_KEY,
    verificationKeys: env.PODLAUNCH_VERIFICATION_KEYS,
  })
  const db = createDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: embeddedDatabaseDir(env.dataDir) })
  try {
    const migrated = await migrate(db)
    logger.info({ applied: migrated.applied, database: env.DATABASE_URL ? 'postgres' : 'pglite' }, 'database ready')
    await announceAdminKey(await ensureAdmin(db, { apiKey: env.PODLAUNCH_ADMIN_API_KEY }), env, logger)
  } catch (error) {
    await db.destroy()
    throw error
  }

  // Listen first: with PORT=0 the public URL (which pods call back on) needs the real port.
  const starting = new AppError('UNAVAILABLE', 'the server is starting', { headers: { 'Retry-After': '1' } })
  let handler: RequestListener = (req, res) => sendError(req, res, starting)
  const server = createServer((req, res) => handler(req, res))
  // Dataset and artifact uploads stream for as long as they need; Node's default cuts any
  // request body still arriving after 5 minutes. Idle sockets are still timed out.
  server.requestTimeout = 0
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(env.PORT, env.HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`

  const config = serverConfigOf(env, port)
  const local = createLocalProvider({ rootDir: config.podsDir, hostEnv: env.hostEnv })
  const providers: ServerDeps['providers'] = { local }
  if (env.PODLAUNCH_RUNPOD_API_KEY) {
    providers.runpod = createRunpodProvider({ apiKey: env.PODLAUNCH_RUNPOD_API_KEY, baseUrl: env.PODLAUNCH_RUNPOD_URL })
  }
  const deps: ServerDeps = {
    db,
    clock: systemClock,
    logger,
    config,
    keyring,
    revocations: createRevocationStore(db),
    store: createLocalDatasetStore(config.storeDir),
    providers,
    events: await createEventBus(db, logger),
    hooks: options.hooks,
  }
  const reconciler = startReconciler(deps)
  handler = createRequestHandler(deps, { adminDir: adminAppDir() })
  logger.info({ url, publicUrl: config.publicUrl, providers: Object.keys(providers) }, 'podlaunch listening')

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, let requests in flight finish (SSE streams are cut), then close the rest.
      const drained = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS)
      await reconciler.stop()
      await drained
      clearTimeout(timer)
      // Local pods are child processes of this server: they end with it.
      await local.close()
      await deps.events.close()
      await db.destroy()
      logger.info('podlaunch stopped')
    })())
  return { url, server, close }
}

async function announceAdminKey(result: { generatedKey?: string }, env: Env, logger: Logger) {
  if (!result.generatedKey) return
  const file = join(env.dataDir, 'admin-api-key')
  await writeFile(file, `${result.generatedKey}\n`, { mode: 0o600 })
  // Printed once, on the terminal only, never through the JSON log.
  process.stderr.write(`\nAdmin API key (shown once; also saved to ${file}, mode 0600):\n  ${result.generatedKey}\n\n`)
  logger.info({ file }, 'generated an admin API key')
}

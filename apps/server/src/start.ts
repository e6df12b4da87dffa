import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createDatabase, embeddedDatabaseDir, migrate } from '@podlaunch/db'
import {
  AppError,
  createEventBus,
  createLocalDatasetStore,
  createLocalProvider,
  createLogger,
  createRequestHandler,
  createRunpodProvider,
  defaultConfig,
  ensureAdmin,
  startReconciler,
  sendError,
  systemClock,
  type Logger,
  type ServerDeps,
} from '@podlaunch/server'
import { createRevocationStore, loadKeyring } from '@podlaunch/tokens'
import { adminAppDir } from './admin-dir.ts'
import { publicUrlOf, type Env } from './env.ts'

export interface RunningServer {
  url: string
  server: Server
  close(): Promise<void>
}

const DRAIN_TIMEOUT_MS = 10_000

/** Opens the database, migrates, makes sure an admin exists, listens. Apps only wire packages. */
export async function startServer(env: Env, logger: Logger = createLogger({ level: env.LOG_LEVEL })): Promise<RunningServer> {
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

  const config = defaultConfig({
    dataDir: env.dataDir,
    publicUrl: publicUrlOf(env, port),
    maxDatasetBytes: env.PODLAUNCH_MAX_DATASET_BYTES,
    crashPoint: env.PODLAUNCH_TEST_CRASH_POINT,
    deployments: {
      defaultProvider: env.PODLAUNCH_DEFAULT_PROVIDER,
      heartbeatSeconds: env.PODLAUNCH_HEARTBEAT_SECONDS,
      shipIntervalSeconds: env.PODLAUNCH_SHIP_INTERVAL_SECONDS,
      pendingGraceSeconds: env.PODLAUNCH_PENDING_GRACE_SECONDS,
    },
  })
  const local = createLocalProvider({ rootDir: config.podsDir })
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
  }
  const reconciler = startReconciler(deps, { intervalMs: env.PODLAUNCH_RECONCILE_INTERVAL_SECONDS * 1000 })
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

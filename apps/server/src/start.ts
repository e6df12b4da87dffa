import { writeFile, mkdir } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createDatabase, embeddedDatabaseDir, migrate } from '@podlaunch/db'
import { createLocalDatasetStore, createLogger, createRequestHandler, defaultConfig, ensureAdmin, systemClock, type Logger } from '@podlaunch/server'
import { createRevocationStore, loadKeyring } from '@podlaunch/tokens'
import type { Env } from './env.ts'
import { adminAppDir } from './admin-dir.ts'

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

  const config = defaultConfig({ dataDir: env.dataDir, publicUrl: env.publicUrl, maxDatasetBytes: env.PODLAUNCH_MAX_DATASET_BYTES })
  const deps = {
    db,
    clock: systemClock,
    logger,
    config,
    keyring,
    revocations: createRevocationStore(db),
    store: createLocalDatasetStore(config.storeDir),
  }
  const server = createServer(createRequestHandler(deps, { adminDir: adminAppDir() }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(env.PORT, env.HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`
  logger.info({ url, publicUrl: env.publicUrl }, 'podlaunch listening')

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, let requests in flight finish, then cut whatever is left.
      const drained = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS)
      await drained
      clearTimeout(timer)
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
  process.stderr.write(
    `\nAdmin API key (shown once; also saved to ${file}, mode 0600):\n  ${result.generatedKey}\n\n`,
  )
  logger.info({ file }, 'generated an admin API key')
}

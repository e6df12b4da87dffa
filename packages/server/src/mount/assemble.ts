import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createDatabase, embeddedDatabaseDir, migrate } from '@podlaunch/db'
import { createLocalProvider, createRunpodProvider, minimalHostEnv, type LocalProvider } from '@podlaunch/providers'
import { createRevocationStore, loadKeyring } from '@podlaunch/tokens'
import { ensureAdmin } from '../auth/admin.ts'
import { systemClock } from '../clock.ts'
import type { ServerConfig } from '../config.ts'
import type { ServerDeps } from '../context.ts'
import { createLocalDatasetStore } from '../datasets/store.ts'
import { createEventBus } from '../events/bus.ts'
import type { Logger } from '../logger.ts'
import type { PodlaunchOptions } from './options.ts'

export interface StartResult {
  /** Migration files applied by this start. */
  migrated: string[]
  /** Set only on the start that generated the administrator's key: show it once. */
  generatedAdminKey?: { key: string; file: string }
}

/** The running parts, and how to let go of the ones this start made (not those it was given). */
export interface Assembled {
  deps: ServerDeps
  result: StartResult
  release(): Promise<void>
}

/**
 * Opens or takes each part, migrates, makes sure an administrator exists. Whatever was opened
 * before a failure is closed again, so a failed start leaves nothing running.
 */
export async function assemble(options: PodlaunchOptions, config: ServerConfig, logger: Logger, shutdown: AbortSignal): Promise<Assembled> {
  const releases: (() => Promise<void>)[] = []
  const release = async () => {
    for (const close of releases.splice(0).reverse())
      await close().catch((error: unknown) => logger.warn({ err: error }, 'closing a part failed'))
  }
  try {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
    const keyring =
      options.keyring ??
      (await loadKeyring({ dataDir: config.dataDir, signingKey: options.signingKey, verificationKeys: options.verificationKeys }))
    const db =
      options.db ?? createDatabase(options.databaseUrl ? { url: options.databaseUrl } : { dataDir: embeddedDatabaseDir(config.dataDir) })
    if (!options.db) releases.push(() => db.destroy())
    const migrated = await migrate(db)
    logger.info(
      { applied: migrated.applied, database: options.databaseUrl ? 'postgres' : options.db ? 'given' : 'pglite' },
      'database ready',
    )
    const result: StartResult = { migrated: migrated.applied }
    if (options.admin !== false) {
      const admin = await ensureAdmin(db, { apiKey: options.admin?.apiKey })
      if (admin.generatedKey) result.generatedAdminKey = await saveAdminKey(config.dataDir, admin.generatedKey, logger)
    }
    const providers = options.providers ?? makeProviders(options, config, releases)
    const events = await createEventBus(db, logger)
    releases.push(() => events.close())
    const deps: ServerDeps = {
      db,
      clock: options.clock ?? systemClock,
      logger,
      config,
      keyring,
      revocations: createRevocationStore(db),
      store: options.store ?? createLocalDatasetStore(config.storeDir),
      providers,
      events,
      hooks: options.hooks,
      shutdown,
    }
    return { deps, result, release }
  } catch (error) {
    await release()
    throw error
  }
}

function makeProviders(options: PodlaunchOptions, config: ServerConfig, releases: (() => Promise<void>)[]): ServerDeps['providers'] {
  // Like spawn's default, local pods start from this process's environment, but only from the
  // variables a shell needs: never the server's own secrets.
  const local: LocalProvider = createLocalProvider({ rootDir: config.podsDir, hostEnv: options.localPodEnv ?? minimalHostEnv(process.env) })
  // Local pods are child processes of this server: they end with it.
  releases.push(() => local.close())
  const providers: ServerDeps['providers'] = { local }
  if (options.runpod) providers.runpod = createRunpodProvider({ apiKey: options.runpod.apiKey, baseUrl: options.runpod.baseUrl })
  return providers
}

async function saveAdminKey(dataDir: string, key: string, logger: Logger) {
  const file = join(dataDir, 'admin-api-key')
  await writeFile(file, `${key}\n`, { mode: 0o600 })
  logger.info({ file }, 'generated an admin API key')
  return { key, file }
}

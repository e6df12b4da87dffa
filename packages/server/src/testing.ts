// Test support for this package and its dependents: real databases, real HTTP on port 0.
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { Readable } from 'node:stream'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '@podlaunch/db'
import { generateApiKey } from './auth/api-key.ts'
import { systemClock, type Clock } from './clock.ts'
import { defaultConfig, type ConfigOverrides } from './config.ts'
import { insertReadyDataset } from './datasets/handlers.ts'
import { createLocalDatasetStore } from './datasets/store.ts'
import { createEventBus } from './events/bus.ts'
import { createKeyring, createRevocationStore, generateSigningKey } from '@podlaunch/tokens'
import type { ServerDeps } from './context.ts'
import { silentLogger } from './logger.ts'
import { createRequestHandler } from './http/app.ts'

export interface TestUser {
  id: string
  apiKey: string
  apiKeyId: string
}

export async function createTestUser(db: Kysely<Database>, name = 'user', isAdmin = false): Promise<TestUser> {
  const user = await db.insertInto('users').values({ name, is_admin: isAdmin }).returning('id').executeTakeFirstOrThrow()
  const key = generateApiKey()
  const row = await db
    .insertInto('api_keys')
    .values({ user_id: user.id, name: `${name} key`, key_hash: key.hash, prefix: key.prefix })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: user.id, apiKey: key.key, apiKeyId: row.id }
}

export async function createTestDeps(
  db: Kysely<Database>,
  clock: Clock = systemClock,
  configOverrides: Omit<ConfigOverrides, 'dataDir'> = {},
  providers: ServerDeps['providers'] = {},
): Promise<ServerDeps & { cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-server-'))
  const config = defaultConfig({ dataDir, ...configOverrides })
  const logger = silentLogger()
  const events = await createEventBus(db, logger)
  return {
    db,
    clock,
    logger,
    config,
    providers,
    events,
    keyring: await createKeyring({ signingKey: generateSigningKey() }),
    revocations: createRevocationStore(db),
    store: createLocalDatasetStore(config.storeDir),
    cleanup: async () => {
      await events.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export interface RunningHttp {
  server: Server
  url: string
  close(): Promise<void>
}

/** A loopback port free right now, for a process that must be told its port (a server that derives its public URL from it). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

export async function listenOnLoopback(listener: RequestListener): Promise<RunningHttp> {
  const server = createServer(listener)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export interface TestServer {
  deps: ServerDeps
  url: string
  /** Adds a user with an API key. */
  user(name?: string, isAdmin?: boolean): Promise<TestUser>
  close(): Promise<void>
}

/**
 * A real server on loopback with the given providers; pods reach it at `url` (the public URL),
 * so downloads and callbacks cross real HTTP.
 */
export async function startTestServer(
  db: Kysely<Database>,
  options: {
    clock?: Clock
    providers?: ServerDeps['providers']
    config?: Omit<ConfigOverrides, 'dataDir'>
  } = {},
): Promise<TestServer> {
  let handler: RequestListener = (_req, res) => res.writeHead(503).end()
  const http = await listenOnLoopback((req, res) => handler(req, res))
  const deps = await createTestDeps(db, options.clock, { publicUrl: http.url, ...options.config }, options.providers)
  handler = createRequestHandler(deps)
  return {
    deps,
    url: http.url,
    user: (name = 'user', isAdmin = false) => createTestUser(db, name, isAdmin),
    close: async () => {
      await http.close()
      await deps.cleanup()
    },
  }
}

/** A ready dataset owned by `ownerId`, stored through the real store. */
export async function createReadyDataset(deps: ServerDeps, ownerId: string, content: Buffer | string, filename = 'data.csv') {
  const key = deps.store.newKey()
  const bytes = Buffer.from(content)
  const stored = await deps.store.write(key, Readable.from([bytes]), { maxBytes: bytes.length })
  return insertReadyDataset(deps.db, { ownerId, name: filename, filename, key, stored })
}

export { fetchListener } from './fetch-listener.ts'
export { startLocalPodServer } from './test-local-pods.ts'
export type { LocalPodServer } from './test-local-pods.ts'

// Test support for the datasets tests: one real server on loopback over a fresh database.
import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { authenticateApiKey } from '../auth/authenticate.ts'
import type { Clock } from '../clock.ts'
import type { ServerConfig } from '../config.ts'
import { createInnerContext, type ServerDeps } from '../context.ts'
import { createRequestHandler } from '../http/app.ts'
import { createLogger } from '../logger.ts'
import { appRouter } from '../router.ts'
import { createCallerFactory } from '../trpc.ts'
import { createTestDeps, createTestUser, listenOnLoopback, type RunningHttp, type TestUser } from '../testing.ts'

const createCaller = createCallerFactory(appRouter)
export type Caller = ReturnType<typeof createCaller>

export interface DatasetServer {
  database: TestDatabase
  deps: ServerDeps
  http: RunningHttp
  alice: TestUser
  /** Every log line the server wrote. */
  logs: string[]
  caller(user: TestUser): Promise<Caller>
  /** Creates a dataset for `user` and uploads `bytes` over HTTP; returns its id. */
  upload(user: TestUser, bytes: Buffer, filename?: string): Promise<string>
  /** A download URL for `id`, pointed at this server (the configured publicUrl is not it). */
  downloadUrl(user: TestUser, id: string, ttlSeconds?: number): Promise<{ url: string; jti: string }>
  /** Files left under the store (including `.tmp`), excluding the `.tmp` directory itself. */
  storeFiles(): Promise<string[]>
  close(): Promise<void>
}

export async function startDatasetServer(options: { clock?: Clock; config?: Partial<ServerConfig> } = {}): Promise<DatasetServer> {
  const database = await createTestDatabase()
  const base = await createTestDeps(database.db, options.clock, options.config)
  const logs: string[] = []
  const deps: ServerDeps = {
    ...base,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } }),
  }
  const http = await listenOnLoopback(createRequestHandler(deps))
  const alice = await createTestUser(database.db, 'alice')

  const caller = async (user: TestUser) => {
    const authed = await authenticateApiKey(deps.db, deps.clock, user.apiKey)
    return createCaller(createInnerContext(deps, authed))
  }

  return {
    database,
    deps,
    http,
    alice,
    logs,
    caller,
    async upload(user, bytes, filename = 'train.bin') {
      const api = await caller(user)
      const { dataset } = await api.datasets.create({ name: filename, filename, sizeBytes: bytes.length, sha256: sha256Hex(bytes) })
      const res = await fetch(`${http.url}/v1/datasets/${dataset.id}/content`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${user.apiKey}` },
        body: bytes,
      })
      if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${await res.text()}`)
      return dataset.id
    },
    async downloadUrl(user, id, ttlSeconds) {
      const api = await caller(user)
      const minted = await api.datasets.createDownloadUrl({ id, ...(ttlSeconds ? { ttlSeconds } : {}) })
      const url = new URL(minted.url)
      return { url: `${http.url}${url.pathname}${url.search}`, jti: minted.jti }
    },
    async storeFiles() {
      const entries = await readdir(deps.config.storeDir, { recursive: true })
      return entries.filter((entry) => entry !== '.tmp')
    },
    async close() {
      await http.close()
      await base.cleanup()
      await database.close()
    },
  }
}

export function sha256Hex(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function randomBytesOf(size: number, seed = 1): Buffer {
  // Deterministic but not repetitive: a cheap xorshift, so a misplaced range shows.
  const out = Buffer.alloc(size)
  let x = seed * 2654435761 || 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

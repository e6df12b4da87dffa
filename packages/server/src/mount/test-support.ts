// One podlaunch (createPodlaunch) served through both adapters at once: the Node listener and a
// plain Node server calling its fetch handler. Tests run the same table against both.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import type { RequestListener } from 'node:http'
import { silentLogger } from '../logger.ts'
import { createTestUser, fetchListener, listenOnLoopback, type RunningHttp, type TestUser } from '../testing.ts'
import { createPodlaunch, type Podlaunch } from './create-podlaunch.ts'
import type { PodlaunchOptions } from './options.ts'

export const BASE_PATH = '/api/podlaunch'
export const ADAPTERS = ['node', 'fetch'] as const
export type AdapterName = (typeof ADAPTERS)[number]

export interface MountedServer {
  podlaunch: Podlaunch
  database: TestDatabase
  /** Origin of each adapter's listener. */
  origin: Record<AdapterName, string>
  /** The URL the server hands out is the Node listener's; this points it at `adapter`. */
  via(adapter: AdapterName, url: string): string
  /** `origin + basePath` of an adapter: where a client is pointed. */
  base(adapter: AdapterName): string
  user(name?: string): Promise<TestUser>
  close(): Promise<void>
}

export async function startMounted(options: Partial<PodlaunchOptions> = {}): Promise<MountedServer> {
  const database = await createTestDatabase()
  const dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-mount-'))
  let node: RequestListener = (_req, res) => res.writeHead(503).end()
  let fetchHandler: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 })
  const listeners: Record<AdapterName, RunningHttp> = {
    node: await listenOnLoopback((req, res) => node(req, res)),
    fetch: await listenOnLoopback(fetchListener((request) => fetchHandler(request))),
  }
  const podlaunch = createPodlaunch({
    db: database.db,
    dataDir,
    basePath: BASE_PATH,
    publicUrl: listeners.node.url,
    logger: silentLogger(),
    admin: false,
    reconciler: false,
    ...options,
  })
  await podlaunch.start()
  node = podlaunch.handler
  fetchHandler = podlaunch.fetch
  const origin = { node: listeners.node.url, fetch: listeners.fetch.url }
  return {
    podlaunch,
    database,
    origin,
    via: (adapter, url) => {
      const parsed = new URL(url)
      return `${origin[adapter]}${parsed.pathname}${parsed.search}`
    },
    base: (adapter) => `${origin[adapter]}${BASE_PATH}`,
    user: (name = 'user') => createTestUser(database.db, name),
    async close() {
      await podlaunch.close()
      await listeners.node.close()
      await listeners.fetch.close()
      await database.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** The `{error:{code}}` of a plain-HTTP or tRPC answer. */
export async function errorCodeOf(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { code?: string; data?: { appCode?: string } } }
  return body.error?.data?.appCode ?? body.error?.code
}

// Child process of run.ts: one createPodlaunch serving one registered dataset through both of
// its adapters at once, the Node listener and a plain Node HTTP server calling its fetch handler.
// A third server reads the fetch handler's answers with a default reader instead of a BYOB one.
// Prints one JSON line {node, fetch, fetchDefault, pid} (download URLs) on stdout when ready; stops on SIGTERM.
// Usage: node --import tsx bench/mount/serve-mounted.ts <importDir> <fileName>
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase } from '@podlaunch/db/testing'
import { appRouter, createCallerFactory, createInnerContext, createPodlaunch, silentLogger } from '@podlaunch/server'
import { createTestUser, fetchListener, listenOnLoopback } from '@podlaunch/server/testing'

const [importDir, fileName] = process.argv.slice(2)
if (!importDir || !fileName) throw new Error('usage: serve-mounted.ts <importDir> <fileName>')

const database = await createTestDatabase()
const dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-bench-mount-'))
const podlaunch = createPodlaunch({
  db: database.db,
  dataDir,
  basePath: '/api/podlaunch',
  logger: silentLogger(),
  admin: false,
  reconciler: false,
  config: { importDir },
})
await podlaunch.start()
const deps = podlaunch.deps()!
const admin = await createTestUser(database.db, 'bench-admin', true)
const caller = createCallerFactory(appRouter)(
  createInnerContext(deps, { id: admin.id, name: 'bench-admin', isAdmin: true, apiKeyId: admin.apiKeyId }),
)
const dataset = await caller.datasets.register({ name: 'bench', path: fileName })
const minted = new URL((await caller.datasets.createDownloadUrl({ id: dataset.id })).url)

const node = await listenOnLoopback(podlaunch.handler)
const fetchServer = await listenOnLoopback(fetchListener(podlaunch.fetch))
const defaultReader = await listenOnLoopback(fetchListener(podlaunch.fetch, { lend: false }))
const path = `${minted.pathname}${minted.search}`
process.stdout.write(
  `${JSON.stringify({ node: `${node.url}${path}`, fetch: `${fetchServer.url}${path}`, fetchDefault: `${defaultReader.url}${path}`, pid: process.pid })}\n`,
)

process.once('SIGTERM', async () => {
  await node.close()
  await fetchServer.close()
  await defaultReader.close()
  await podlaunch.close()
  await database.close()
  await rm(dataDir, { recursive: true, force: true })
  process.exit(0)
})

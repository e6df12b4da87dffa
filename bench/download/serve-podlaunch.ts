// Child process of run.ts: the real podlaunch request handler on loopback, serving one registered
// dataset. Prints one JSON line {url, pid} on stdout when ready; stops on SIGTERM.
// Usage: node --import tsx bench/download/serve-podlaunch.ts <importDir> <fileName>
import { createTestDatabase } from '@podlaunch/db/testing'
import { appRouter, createCallerFactory, createInnerContext, createRequestHandler } from '@podlaunch/server'
import { createTestDeps, createTestUser, listenOnLoopback } from '@podlaunch/server/testing'

const [importDir, fileName] = process.argv.slice(2)
if (!importDir || !fileName) throw new Error('usage: serve-podlaunch.ts <importDir> <fileName>')

const database = await createTestDatabase()
const deps = await createTestDeps(database.db, undefined, { importDir })
const admin = await createTestUser(database.db, 'bench-admin', true)
const caller = createCallerFactory(appRouter)(
  createInnerContext(deps, { id: admin.id, name: 'bench-admin', isAdmin: true, apiKeyId: admin.apiKeyId }),
)
const dataset = await caller.datasets.register({ name: 'bench', path: fileName })
const minted = await caller.datasets.createDownloadUrl({ id: dataset.id })
const http = await listenOnLoopback(createRequestHandler(deps))
const url = new URL(minted.url)
process.stdout.write(`${JSON.stringify({ url: `${http.url}${url.pathname}${url.search}`, pid: process.pid, sha256: dataset.sha256 })}\n`)

process.once('SIGTERM', async () => {
  await http.close()
  await deps.cleanup()
  await database.close()
  process.exit(0)
})

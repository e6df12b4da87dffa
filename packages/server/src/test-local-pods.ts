// Test support: a server whose pods are local processes, for end-to-end tests of whole
// deployments (the SDK's, the consumer example's).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { createLocalProvider, minimalHostEnv, type LocalProvider } from '@podlaunch/providers'
import { startTestServer, type TestServer } from './testing.ts'

export interface LocalPodServer extends TestServer {
  database: TestDatabase
  local: LocalProvider
}

/**
 * A test server on its own test database whose pods run on the local provider (processes in a
 * temp directory), with 1-second heartbeats and shipping so a deployment ends in seconds.
 * close() stops the pods, then the server, then the database.
 */
export async function startLocalPodServer(): Promise<LocalPodServer> {
  const database = await createTestDatabase()
  const podsDir = await mkdtemp(join(tmpdir(), 'podlaunch-local-pods-'))
  const local = createLocalProvider({ rootDir: podsDir, graceMs: 1000, hostEnv: minimalHostEnv(process.env) })
  const server = await startTestServer(database.db, {
    providers: { local },
    config: { deployments: { heartbeatSeconds: 1, shipIntervalSeconds: 1 } },
  })
  return {
    ...server,
    database,
    local,
    close: async () => {
      await local.close()
      await server.close()
      await database.close()
      await rm(podsDir, { recursive: true, force: true })
    },
  }
}

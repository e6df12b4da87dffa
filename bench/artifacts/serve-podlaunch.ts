// Child process of run.ts: the real podlaunch request handler on loopback with one deployment
// whose pod token may upload artifacts. Prints one JSON line {artifactsUrl, token, pid,
// artifactsDir} on stdout when ready; stops on SIGTERM.
// Usage: node --import tsx bench/artifacts/serve-podlaunch.ts
import { createTestDatabase } from '@podlaunch/db/testing'
import { createRequestHandler } from '@podlaunch/server'
import { createTestDeps, createTestUser, listenOnLoopback } from '@podlaunch/server/testing'
import { mintToken } from '@podlaunch/tokens'

const database = await createTestDatabase()
let handler: Parameters<typeof listenOnLoopback>[0] = (_req, res) => res.writeHead(503).end()
const http = await listenOnLoopback((req, res) => handler(req, res))
const deps = await createTestDeps(database.db, undefined, { publicUrl: http.url })
handler = createRequestHandler(deps)
const user = await createTestUser(database.db, 'bench')
const deployment = await database.db
  .insertInto('deployments')
  .values({
    owner_id: user.id,
    name: 'bench',
    provider: 'local',
    status: 'training',
    spec: '{}',
    script: '#!/bin/bash\n',
    script_sha256: '0'.repeat(64),
    keep_alive_s: 3600,
  })
  .returning('id')
  .executeTakeFirstOrThrow()
const pod = await mintToken(deps.keyring, 'pod', {
  subject: deployment.id,
  claims: { deployment_id: deployment.id },
  ttlSeconds: 6 * 3600,
  issuer: deps.config.issuer,
})
process.stdout.write(
  `${JSON.stringify({ artifactsUrl: `${http.url}/v1/pod/artifacts`, token: pod.token, pid: process.pid, artifactsDir: deps.config.artifactsDir })}\n`,
)

process.once('SIGTERM', async () => {
  await http.close()
  await deps.cleanup()
  await database.close()
  process.exit(0)
})

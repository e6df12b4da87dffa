// A loopback stand-in for the server's artifact endpoints (POST declare, GET state, PUT with
// Content-Range), with faults: a refused declaration, a first PUT cut after some bytes.
import { createHash, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { POD_TOKEN } from './harness.ts'

export interface StoredArtifact {
  id: string
  name: string
  size: number
  sha256: string
  bytes: Buffer
  complete: boolean
}

export interface ArtifactServer {
  url: string
  artifacts: StoredArtifact[]
  /** Every request, e.g. "PUT bytes 0-99/100". */
  requests: string[]
  close(): Promise<void>
}

export async function startArtifactServer(options: { declareStatus?: number; cutFirstPutAfter?: number } = {}): Promise<ArtifactServer> {
  const artifacts: StoredArtifact[] = []
  const requests: string[] = []
  let puts = 0
  const state = (a: StoredArtifact) =>
    JSON.stringify({
      id: a.id,
      name: a.name,
      sizeBytes: a.size,
      sha256: a.sha256,
      status: a.complete ? 'complete' : 'uploading',
      offset: a.bytes.length,
    })
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(body)
    }
    if (req.headers.authorization !== `Bearer ${POD_TOKEN}`) return reply(401, '{"error":{"code":"TOKEN_MISSING","message":"no"}}')
    const id = /\/v1\/pod\/artifacts\/([0-9a-f-]{36})/.exec(req.url ?? '')?.[1]
    const artifact = artifacts.find((a) => a.id === id)
    requests.push(`${req.method} ${req.headers['content-range'] ?? ''}`.trim())
    if (req.method === 'PUT' && artifact) {
      puts++
      const cut = puts === 1 ? options.cutFirstPutAfter : undefined
      let received = 0
      req.on('data', (c: Buffer) => {
        if (cut !== undefined && received + c.length > cut) {
          artifact.bytes = Buffer.concat([artifact.bytes, c.subarray(0, cut - received)])
          received = cut
          req.socket.destroy()
          return
        }
        received += c.length
        artifact.bytes = Buffer.concat([artifact.bytes, c])
      })
      req.on('end', () => {
        if (artifact.bytes.length === artifact.size) {
          if (createHash('sha256').update(artifact.bytes).digest('hex') !== artifact.sha256)
            return reply(400, '{"error":{"code":"CHECKSUM_MISMATCH","message":"bad"}}')
          artifact.complete = true
        }
        reply(200, state(artifact))
      })
      return
    }
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.method === 'GET' && artifact) return reply(200, state(artifact))
      if (req.method === 'POST') {
        if (options.declareStatus) {
          return reply(
            options.declareStatus,
            '{"error":{"code":"PAYLOAD_TOO_LARGE","message":"the artifact is larger than this server allows"}}',
          )
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; sizeBytes: number; sha256: string }
        const a: StoredArtifact = {
          id: randomUUID(),
          name: body.name,
          size: body.sizeBytes,
          sha256: body.sha256,
          bytes: Buffer.alloc(0),
          complete: false,
        }
        artifacts.push(a)
        return reply(201, state(a))
      }
      reply(404, '{"error":{"code":"NOT_FOUND","message":"no"}}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/pod/artifacts`,
    artifacts,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

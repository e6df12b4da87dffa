import { errorFromResponse, PodlaunchError, rethrowTrpcError } from './errors.ts'
import { onClientServer, type ClientOptions, type PodlaunchTrpcClient } from './client.ts'

/** An artifact as the server describes it. */
export type ArtifactInfo = Awaited<ReturnType<PodlaunchTrpcClient['artifacts']['get']['query']>>

export interface DownloadArtifactOptions {
  /** Write to this file (Node only); created or truncated. */
  path?: string
  /** Or write into this stream (a WHATWG WritableStream or a Node Writable); not closed at the end. */
  stream?: WritableStream<Uint8Array> | NodeJS.WritableStream
  /** Called as bytes arrive: (received, total). */
  onProgress?: (received: number, total: number) => void
  /** Lifetime of the signed URL; default: the server's. */
  ttlSeconds?: number
  /** Attempts without progress before giving up on a failing connection; default 5. */
  attempts?: number
}

/** A failed download. `code`: the server's stable code, or NETWORK_ERROR, CHECKSUM_MISMATCH, SIZE_MISMATCH. */
export class DownloadArtifactError extends PodlaunchError {
  override readonly name = 'DownloadArtifactError'
}

interface Sink {
  write(chunk: Uint8Array): Promise<void>
  /** Back to byte 0 (a server that ignored Range); false when the sink cannot rewind. */
  restart(): Promise<boolean>
  close(failed: boolean): Promise<void>
}

/**
 * Downloads a stored artifact through a signed URL (`artifacts.createDownloadUrl`), streaming
 * it to a file or stream with progress. A cut connection resumes with `Range` (and `If-Range`
 * on the ETag, so changed content never mixes in); at the end the size and sha256 are checked
 * against the server's record and its `Repr-Digest`.
 */
export async function downloadArtifact(
  client: ClientOptions,
  trpc: PodlaunchTrpcClient,
  id: string,
  options: DownloadArtifactOptions,
): Promise<ArtifactInfo & { path?: string }> {
  if ((options.path === undefined) === (options.stream === undefined))
    throw new DownloadArtifactError('BAD_REQUEST', 'pass exactly one of path or stream')
  const info = await trpc.artifacts.get.query({ id }).catch(fromTrpcError)
  const link = await trpc.artifacts.createDownloadUrl
    .mutate({ id, ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}) })
    .catch(fromTrpcError)
  // The URL carries the server's public address; fetch through the one this client was given.
  const url = onClientServer(client.url, link.url)
  const fetchImpl = client.fetch ?? fetch
  const sink = await sinkOf(options)
  const { createHash } = await import('node:crypto')
  let hash = createHash('sha256')
  let received = 0
  let etag: string | null = null
  let digest: string | null = null
  let failures = 0
  const maxAttempts = options.attempts ?? 5
  try {
    for (;;) {
      const headers: Record<string, string> = received > 0 ? { range: `bytes=${received}-`, ...(etag ? { 'if-range': etag } : {}) } : {}
      const before = received
      try {
        const res = await fetchImpl(url, { headers })
        if (res.status !== 200 && res.status !== 206) throw await errorFromResponse(DownloadArtifactError, res, 'the download')
        if (res.status === 200 && received > 0) {
          // The server sent everything again (the ETag changed or Range was ignored): start over.
          if (!(await sink.restart()))
            throw new DownloadArtifactError('CONFLICT', 'the artifact changed during the download and the stream cannot rewind')
          hash = createHash('sha256')
          received = 0
        }
        etag = res.headers.get('etag')
        digest = res.headers.get('repr-digest')
        if (!res.body) break
        const reader = res.body.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          await sink.write(value)
          hash.update(value)
          received += value.byteLength
          options.onProgress?.(received, info.sizeBytes)
        }
        if (received >= info.sizeBytes) break
        throw new Error('the connection ended before the last byte')
      } catch (error) {
        if (error instanceof DownloadArtifactError) throw error
        failures = received > before ? 1 : failures + 1
        if (failures >= maxAttempts)
          throw new DownloadArtifactError('NETWORK_ERROR', `the download failed ${failures} times without progress`, undefined, {
            cause: error,
          })
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** failures, 5000)))
      }
    }
    const sha256 = hash.digest('hex')
    if (received !== info.sizeBytes)
      throw new DownloadArtifactError('SIZE_MISMATCH', `received ${received} bytes, the artifact has ${info.sizeBytes}`)
    const announced = digest ? Buffer.from(digest.replace(/^sha-256=:|:$/g, ''), 'base64').toString('hex') : info.sha256
    if (sha256 !== info.sha256 || announced !== info.sha256) {
      throw new DownloadArtifactError('CHECKSUM_MISMATCH', `the received bytes hash to ${sha256}, the artifact's sha256 is ${info.sha256}`)
    }
    await sink.close(false)
    return { ...info, ...(options.path !== undefined ? { path: options.path } : {}) }
  } catch (error) {
    await sink.close(true)
    throw error
  }
}

async function sinkOf(options: DownloadArtifactOptions): Promise<Sink> {
  if (options.path !== undefined) {
    const path = options.path
    const { open, rm } = await import('node:fs/promises')
    let handle = await open(path, 'w', 0o600)
    return {
      write: async (chunk) => {
        await handle.write(chunk)
      },
      restart: async () => {
        await handle.truncate(0)
        await handle.close()
        handle = await open(path, 'w', 0o600)
        return true
      },
      close: async (failed) => {
        await handle.close()
        // A file that failed verification must not be mistaken for the model.
        if (failed) await rm(path, { force: true })
      },
    }
  }
  const stream = options.stream!
  if ('getWriter' in stream) {
    const writer = stream.getWriter()
    return {
      write: (chunk) => writer.write(chunk),
      restart: async () => false,
      close: async () => writer.releaseLock(),
    }
  }
  const node = stream as NodeJS.WritableStream
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        node.write(chunk, (error) => (error ? reject(error) : resolve()))
      }),
    restart: async () => false,
    close: async () => undefined,
  }
}

function fromTrpcError(error: unknown): never {
  rethrowTrpcError(DownloadArtifactError, error)
}

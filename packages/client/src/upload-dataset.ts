import { errorFromResponse, PodlaunchError, rethrowTrpcError } from './errors.ts'
import { authHeaders, onClientServer, type ClientOptions, type PodlaunchTrpcClient } from './client.ts'

/** A dataset as the server describes it. */
export type UploadedDataset = Awaited<ReturnType<PodlaunchTrpcClient['datasets']['get']['query']>>

export interface UploadDatasetOptions {
  /** The dataset's display name. */
  name: string
  /** A file on this machine (Node only). Read once to hash it, then streamed. */
  path?: string
  /** A Blob or File (browser or Node). */
  file?: Blob
  /** Any byte stream; needs `sizeBytes`. Hashed while sending and compared with the server's answer. */
  stream?: ReadableStream<Uint8Array> | NodeJS.ReadableStream
  /** Required with `stream`; otherwise taken from the file. */
  sizeBytes?: number
  /** The file name downloads get. Default: the path's base name, the File's name, or `name`. */
  filename?: string
  /** Lowercase hex sha256 when already known (skips hashing a path or file first). */
  sha256?: string
  /** Called as bytes leave: (sent, total). */
  onProgress?: (sent: number, total: number) => void
}

/** A failed upload. `code` is the server's stable code (`SIZE_MISMATCH`, `PAYLOAD_TOO_LARGE`, …) or the SDK's own. */
export class UploadDatasetError extends PodlaunchError {
  override readonly name = 'UploadDatasetError'
}

interface Source {
  sizeBytes: number
  filename: string
  /** Known before sending (path, file or given); otherwise computed while sending. */
  sha256: string | undefined
  open(): Promise<ReadableStream<Uint8Array>>
}

/**
 * Creates a dataset and uploads its bytes: `datasets.create` declares the size (and the sha256
 * when it can be known first), then the bytes stream in one PUT to the returned upload URL.
 * The server checks both; this function checks the server's sha256 against its own.
 */
export async function uploadDataset(
  client: ClientOptions,
  trpc: PodlaunchTrpcClient,
  options: UploadDatasetOptions,
): Promise<UploadedDataset> {
  const source = await sourceOf(options)
  const created = await trpc.datasets.create
    .mutate({
      name: options.name,
      filename: source.filename,
      sizeBytes: source.sizeBytes,
      ...(source.sha256 ? { sha256: source.sha256 } : {}),
    })
    .catch(fromTrpcError)
  const hasher = source.sha256 ? undefined : await createSha256()
  let sent = 0
  const meter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      sent += chunk.byteLength
      hasher?.update(chunk)
      options.onProgress?.(sent, source.sizeBytes)
      controller.enqueue(chunk)
    },
  })
  const body = (await source.open()).pipeThrough(meter)
  const fetchImpl = client.fetch ?? fetch
  let res: Response
  try {
    res = await fetchImpl(onClientServer(client.url, created.uploadUrl), {
      method: 'PUT',
      headers: { ...authHeaders(client.apiKey), 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit)
  } catch (error) {
    throw new UploadDatasetError('NETWORK_ERROR', 'the upload connection failed', undefined, { cause: error })
  }
  if (!res.ok) throw await errorFromResponse(UploadDatasetError, res, 'the upload')
  // The success answer's shape is the server's `{ dataset }` (the type says so; no schema here).
  const answer = (await res.json().catch(() => ({}))) as { dataset?: UploadedDataset }
  if (!answer.dataset)
    throw new UploadDatasetError('UNEXPECTED_RESPONSE', `the upload answered ${res.status} without a dataset`, res.status)
  const ours = source.sha256 ?? hasher?.digest()
  if (answer.dataset.sha256 !== ours) {
    // A ready dataset with other bytes than ours must not stay around to be trained on.
    await trpc.datasets.delete.mutate({ id: answer.dataset.id }).catch(() => undefined)
    throw new UploadDatasetError('CHECKSUM_MISMATCH', 'the server stored other bytes than were sent')
  }
  return answer.dataset
}

async function sourceOf(options: UploadDatasetOptions): Promise<Source> {
  const given = [options.path, options.file, options.stream].filter((value) => value !== undefined).length
  if (given !== 1) throw new UploadDatasetError('BAD_REQUEST', 'pass exactly one of path, file or stream')
  if (options.path !== undefined) {
    const path = options.path
    const [{ stat }, { createReadStream }, { basename }, { Readable }] = await Promise.all([
      import('node:fs/promises'),
      import('node:fs'),
      import('node:path'),
      import('node:stream'),
    ])
    const { size } = await stat(path)
    const open = async () => Readable.toWeb(createReadStream(path, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>
    const sha256 = options.sha256 ?? (await hashStream(await open()))
    return { sizeBytes: size, filename: options.filename ?? basename(path), sha256, open }
  }
  if (options.file !== undefined) {
    const file = options.file
    const open = async () => file.stream()
    const sha256 = options.sha256 ?? (await hashStream(await open()))
    const filename = options.filename ?? ('name' in file && typeof file.name === 'string' && file.name ? file.name : options.name)
    return { sizeBytes: file.size, filename, sha256, open }
  }
  const stream = options.stream!
  if (options.sizeBytes === undefined) throw new UploadDatasetError('BAD_REQUEST', 'a stream needs sizeBytes')
  const open = async () => {
    if ('getReader' in stream) return stream
    const { Readable } = await import('node:stream')
    return Readable.toWeb(Readable.from(stream as AsyncIterable<Uint8Array>)) as ReadableStream<Uint8Array>
  }
  return { sizeBytes: options.sizeBytes, filename: options.filename ?? options.name, sha256: options.sha256, open }
}

interface Sha256 {
  update(chunk: Uint8Array): void
  digest(): string
}

async function createSha256(): Promise<Sha256> {
  const { createHash } = await import('node:crypto')
  const hash = createHash('sha256')
  return { update: (chunk) => hash.update(chunk), digest: () => hash.digest('hex') }
}

async function hashStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const hash = await createSha256()
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return hash.digest()
    hash.update(value)
  }
}

function fromTrpcError(error: unknown): never {
  rethrowTrpcError(UploadDatasetError, error)
}

import { pipeline } from 'node:stream/promises'
import type { Artifact } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { PlainRequest } from '../http/exchange.ts'
import { bodyStream } from '../http/read-body.ts'
import { completeArtifact, failArtifact } from './complete.ts'
import { parseUploadRange } from './content-range.ts'
import type { UploadRegistry } from './registry.ts'
import { HashingAppender, type ArtifactStore } from './store.ts'

type Deps = Pick<ServerDeps, 'db' | 'clock' | 'logger' | 'providers' | 'revocations' | 'config'>

/** A PUT that does not start where the server's bytes end: the pod asks for the offset and retries. */
function offsetMismatch(offset: number): AppError<'OFFSET_MISMATCH'> {
  return new AppError('OFFSET_MISMATCH', `this upload continues at byte ${offset}`, {
    headers: { 'Upload-Offset': String(offset) },
    details: { offset },
  })
}

export interface ReceiveResult {
  row: Artifact
  offset: number
  completed: boolean
}

/** The pod went away, or a newer PUT took over: whoever still listens hears that. */
function cutShort(): AppError<'CONFLICT'> {
  return new AppError('CONFLICT', 'the upload was cut short (the connection ended or a newer upload took over)')
}

/**
 * Receives one PUT of an artifact's bytes: checks Content-Range against the declaration and
 * the server's offset, appends to the partial file while hashing (after a cut, the hash is
 * resumed from memory or by re-reading the partial file), and on the last byte checks size
 * and sha256: a match is committed and marked complete, a mismatch discards everything.
 */
export async function receiveContent(
  deps: Deps,
  store: ArtifactStore,
  uploads: UploadRegistry,
  request: PlainRequest,
  declared: Artifact,
): Promise<ReceiveResult> {
  const size = Number(declared.size_bytes)
  const range = parseUploadRange(request.headers.get('content-range') ?? undefined, size)
  if (!range) throw new AppError('BAD_REQUEST', 'Content-Range must be "bytes first-last/total" or "bytes */total"')
  const release = await uploads.acquire(declared.id, () => request.cut())
  try {
    // Read again under the hold: a re-declaration or another PUT may have changed it.
    const row = await deps.db.selectFrom('artifacts').selectAll().where('id', '=', declared.id).executeTakeFirst()
    if (!row) throw new AppError('NOT_FOUND', 'artifact not found')
    if (row.status === 'complete') throw new AppError('CONFLICT', 'the artifact is already stored')
    if (row.status === 'failed')
      throw new AppError('CONFLICT', `the artifact was refused (${row.failure_code ?? 'failed'}); declare it again`)
    // A refusal for good: the artifact is marked failed before the pod hears of it.
    const refuse = async (refusal: AppError) => {
      await failArtifact(deps, store, row, refusal)
      return refusal
    }
    if (range.total !== Number(row.size_bytes)) {
      throw await refuse(
        new AppError(
          'SIZE_MISMATCH',
          `Content-Range names ${range.total} bytes in all, the artifact was declared with ${Number(row.size_bytes)}`,
        ),
      )
    }
    const offset = await store.partialSize(row.storage_key)
    if (range.start !== offset) throw offsetMismatch(offset)
    const expected = range.end - range.start + 1
    const contentLength = request.headers.get('content-length')
    if (contentLength !== null && Number(contentLength) !== expected) {
      throw await refuse(
        new AppError('SIZE_MISMATCH', `the body has ${contentLength} bytes, ${expected} expected from byte ${range.start}`),
      )
    }

    const hash = uploads.takeHash(row.id, offset) ?? (await store.hashPartial(row.storage_key, offset))
    const handle = await store.openPartial(row.storage_key)
    const overflow = () => new AppError('SIZE_MISMATCH', `the body is longer than Content-Range announced (${expected} bytes)`)
    const sink = new HashingAppender(handle, hash, expected, overflow)
    let failure: unknown
    try {
      await pipeline(bodyStream(request), sink)
    } catch (error) {
      failure = error
    } finally {
      await sink.settled()
      await handle.close()
    }
    const held = offset + sink.bytes
    const onDisk = await store.partialSize(row.storage_key)
    if (failure instanceof AppError) throw await refuse(failure)
    if (onDisk !== held || !sink.hashMatchesFile) {
      // A short or failed write: the file is the truth; the next PUT re-reads it to hash.
      uploads.forget(row.id)
    } else if (held < size) {
      uploads.keepHash(row.id, held, hash)
    }
    if (failure || held < size) {
      await deps.db.updateTable('artifacts').set({ received_bytes: onDisk, updated_at: deps.clock() }).where('id', '=', row.id).execute()
      if (failure) throw request.signal.aborted ? cutShort() : failure
      return { row, offset: onDisk, completed: false }
    }
    const sha256 = hash.digest('hex')
    if (onDisk !== size || sha256 !== row.sha256) {
      throw await refuse(
        onDisk !== size
          ? new AppError('SIZE_MISMATCH', `the server holds ${onDisk} bytes, the artifact was declared with ${size}`)
          : new AppError('CHECKSUM_MISMATCH', `the content's sha256 is ${sha256}, declared ${row.sha256}`),
      )
    }
    uploads.forget(row.id)
    const completed = await completeArtifact(deps, store, row)
    if (!completed) throw new AppError('NOT_FOUND', 'artifact not found')
    return { row: completed, offset: size, completed: true }
  } finally {
    release()
  }
}

import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { jsonResponse } from '../http/exchange.ts'
import { bodyStream } from '../http/read-body.ts'
import type { HttpRoute } from '../http/route.ts'
import type { IdentifyCaller } from '../auth/caller.ts'
import { toDatasetView } from './view.ts'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

/**
 * PUT /v1/datasets/{id}/content: streams the body into the store while hashing it, checks
 * size and sha256 against what `datasets.create` declared, and only then marks it ready.
 * A failed, refused or cut upload leaves the dataset `uploading` and no file behind. A refusal
 * before the body is read is answered at once and the connection closed (the request handler's
 * rule), so an unwanted upload is never read.
 */
export function uploadRoute(deps: ServerDeps, identify: IdentifyCaller): HttpRoute {
  // One upload per dataset at a time in this process (the local store is per process too).
  const active = new Set<string>()
  return {
    methods: ['PUT'],
    path: new RegExp(`^/v1/datasets/(?<id>${UUID})/content$`),
    async handle(request, params) {
      const id = params.id!
      const user = await identify(request)
      if (!user) throw new AppError('UNAUTHORIZED', 'a valid API key is required')
      const dataset = await deps.db
        .selectFrom('datasets')
        .selectAll()
        .where('id', '=', id)
        .where('owner_id', '=', user.id)
        .where('status', '!=', 'deleted')
        .executeTakeFirst()
      if (!dataset) throw new AppError('NOT_FOUND', 'dataset not found')
      if (dataset.status === 'ready') throw new AppError('CONFLICT', 'the dataset content was already uploaded')
      if (active.has(id)) throw new AppError('UPLOAD_IN_PROGRESS', 'another upload to this dataset is in progress')

      const declared = Number(dataset.size_bytes)
      const maxBytes = Math.min(declared, deps.config.maxDatasetBytes)
      const contentLength = request.headers.get('content-length')
      if (contentLength !== null && Number(contentLength) > maxBytes) {
        throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than the declared ${declared} bytes`)
      }

      active.add(id)
      try {
        const stored = await deps.store.write(dataset.storage_key, bodyStream(request), {
          maxBytes,
          expect: (file) => {
            if (file.sizeBytes !== declared) {
              throw new AppError('SIZE_MISMATCH', `received ${file.sizeBytes} bytes, declared ${declared}`)
            }
            if (dataset.sha256 && file.sha256 !== dataset.sha256) {
              throw new AppError('CHECKSUM_MISMATCH', `the content's sha256 is ${file.sha256}, declared ${dataset.sha256}`)
            }
          },
        })
        const row = await deps.db
          .updateTable('datasets')
          .set({ status: 'ready', sha256: stored.sha256, updated_at: deps.clock() })
          .where('id', '=', id)
          .where('status', '=', 'uploading')
          .returningAll()
          .executeTakeFirst()
        if (!row) {
          // Deleted while the bytes were arriving.
          await deps.store.remove(dataset.storage_key)
          throw new AppError('NOT_FOUND', 'dataset not found')
        }
        return jsonResponse(200, { dataset: toDatasetView(row) })
      } finally {
        active.delete(id)
      }
    },
  }
}

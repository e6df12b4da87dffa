import type { ServerDeps } from '../context.ts'
import type { HttpRoute } from '../http/route.ts'
import { signedDownloadRoute } from '../http/signed-download.ts'
import { DOWNLOAD_PATH } from './download-url.ts'

/** GET|HEAD /v1/datasets/download?token=…: a ready dataset, named by the download token. */
export function downloadRoute(deps: ServerDeps): HttpRoute {
  return signedDownloadRoute(deps, {
    path: DOWNLOAD_PATH,
    kind: 'download',
    notFoundMessage: 'the dataset is no longer available',
    logIds: (claims) => ({ datasetId: claims.dataset_id, deploymentId: claims.deployment_id ?? null }),
    async resolve(claims) {
      const dataset = await deps.db
        .selectFrom('datasets')
        .select(['storage_key', 'sha256', 'original_filename'])
        .where('id', '=', claims.dataset_id)
        .where('status', '=', 'ready')
        .executeTakeFirst()
      const file = dataset?.sha256 ? await deps.store.open(dataset.storage_key) : undefined
      return dataset?.sha256 && file ? { file, sha256: dataset.sha256, filename: dataset.original_filename } : undefined
    },
  })
}

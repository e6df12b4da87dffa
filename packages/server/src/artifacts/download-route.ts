import type { ServerDeps } from '../context.ts'
import type { HttpRoute } from '../http/route.ts'
import { signedDownloadRoute } from '../http/signed-download.ts'
import { ARTIFACT_DOWNLOAD_PATH } from './download-url.ts'
import type { ArtifactStore } from './store.ts'

/**
 * GET|HEAD /v1/artifacts/download?token=…: the same contract as dataset downloads under the
 * `artifact` audience; a dataset or pod token is refused (403).
 */
export function artifactDownloadRoute(deps: ServerDeps, store: ArtifactStore): HttpRoute {
  return signedDownloadRoute(deps, {
    path: ARTIFACT_DOWNLOAD_PATH,
    kind: 'artifact',
    notFoundMessage: 'the artifact is no longer available',
    logIds: (claims) => ({ datasetId: null, deploymentId: claims.deployment_id ?? null }),
    async resolve(claims) {
      const artifact = await deps.db
        .selectFrom('artifacts')
        .select(['storage_key', 'sha256', 'name'])
        .where('id', '=', claims.artifact_id)
        .where('status', '=', 'complete')
        .executeTakeFirst()
      const file = artifact ? await store.open(artifact.storage_key) : undefined
      return artifact && file ? { file, sha256: artifact.sha256, filename: artifact.name } : undefined
    },
  })
}

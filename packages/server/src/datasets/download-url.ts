import type { ServerDeps } from '../context.ts'
import { mintDownloadUrl, type DownloadUrl } from '../http/signed-download.ts'

export const DOWNLOAD_PATH = '/v1/datasets/download'

/** Mints a download token for one dataset (and optionally one deployment) and builds its URL. */
export function createDownloadUrl(
  deps: Pick<ServerDeps, 'keyring' | 'config' | 'clock'>,
  options: { datasetId: string; deploymentId?: string; ttlSeconds?: number | undefined },
): Promise<DownloadUrl> {
  return mintDownloadUrl(deps, {
    kind: 'download',
    path: DOWNLOAD_PATH,
    subject: options.datasetId,
    claims: { dataset_id: options.datasetId, ...(options.deploymentId ? { deployment_id: options.deploymentId } : {}) },
    ttlSeconds: options.ttlSeconds,
  })
}

import type { ServerDeps } from '../context.ts'
import { mintDownloadUrl, type DownloadUrl } from '../http/signed-download.ts'

export const ARTIFACT_DOWNLOAD_PATH = '/v1/artifacts/download'

/** Mints an `artifact` token for one stored artifact and builds its download URL. */
export function createArtifactDownloadUrl(
  deps: Pick<ServerDeps, 'keyring' | 'config' | 'clock'>,
  options: { artifactId: string; deploymentId: string; ttlSeconds?: number | undefined },
): Promise<DownloadUrl> {
  return mintDownloadUrl(deps, {
    kind: 'artifact',
    path: ARTIFACT_DOWNLOAD_PATH,
    subject: options.artifactId,
    claims: { artifact_id: options.artifactId, deployment_id: options.deploymentId },
    ttlSeconds: options.ttlSeconds,
  })
}

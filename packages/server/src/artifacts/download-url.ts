import { mintToken } from '@podlaunch/tokens'
import type { ServerDeps } from '../context.ts'
import type { DownloadUrl } from '../datasets/download-url.ts'
import { AppError } from '../errors.ts'

export const ARTIFACT_DOWNLOAD_PATH = '/v1/artifacts/download'

/** Mints an `artifact` token for one stored artifact and builds its download URL. */
export async function createArtifactDownloadUrl(
  deps: Pick<ServerDeps, 'keyring' | 'config' | 'clock'>,
  options: { artifactId: string; deploymentId: string; ttlSeconds?: number | undefined },
): Promise<DownloadUrl> {
  const ttlSeconds = options.ttlSeconds ?? deps.config.downloadTtlSeconds
  if (ttlSeconds > deps.config.maxDownloadTtlSeconds) {
    throw new AppError('BAD_REQUEST', `ttlSeconds must be at most ${deps.config.maxDownloadTtlSeconds}`)
  }
  const minted = await mintToken(deps.keyring, 'artifact', {
    subject: options.artifactId,
    claims: { artifact_id: options.artifactId, deployment_id: options.deploymentId },
    ttlSeconds,
    issuer: deps.config.issuer,
    now: deps.clock,
  })
  return {
    url: `${deps.config.publicUrl}${ARTIFACT_DOWNLOAD_PATH}?token=${minted.token}`,
    jti: minted.jti,
    expiresAt: minted.expiresAt,
  }
}

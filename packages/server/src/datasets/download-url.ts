import { mintToken } from '@podlaunch/tokens'
import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'

export const DOWNLOAD_PATH = '/v1/datasets/download'

export interface DownloadUrl {
  url: string
  jti: string
  expiresAt: Date
}

/** Mints a download token for one dataset (and optionally one deployment) and builds its URL. */
export async function createDownloadUrl(
  deps: Pick<ServerDeps, 'keyring' | 'config' | 'clock'>,
  options: { datasetId: string; deploymentId?: string; ttlSeconds?: number | undefined },
): Promise<DownloadUrl> {
  const ttlSeconds = options.ttlSeconds ?? deps.config.downloadTtlSeconds
  if (ttlSeconds > deps.config.maxDownloadTtlSeconds) {
    throw new AppError('BAD_REQUEST', `ttlSeconds must be at most ${deps.config.maxDownloadTtlSeconds}`)
  }
  const minted = await mintToken(deps.keyring, 'download', {
    subject: options.datasetId,
    claims: { dataset_id: options.datasetId, ...(options.deploymentId ? { deployment_id: options.deploymentId } : {}) },
    ttlSeconds,
    issuer: deps.config.issuer,
    now: deps.clock,
  })
  return {
    url: `${deps.config.publicUrl}${DOWNLOAD_PATH}?token=${minted.token}`,
    jti: minted.jti,
    expiresAt: minted.expiresAt,
  }
}

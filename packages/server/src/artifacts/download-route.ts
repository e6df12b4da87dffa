import { assertNotRevoked, isTokenError, tokenErrorStatus, verifyToken } from '@podlaunch/tokens'
import type { ServerDeps } from '../context.ts'
import { sendError } from '../http/respond.ts'
import type { HttpRoute } from '../http/route.ts'
import { serveFile } from '../http/serve-file.ts'
import { tokenFromRequest } from '../http/token-param.ts'
import { ARTIFACT_DOWNLOAD_PATH } from './download-url.ts'
import type { ArtifactStore } from './store.ts'

/**
 * GET|HEAD /v1/artifacts/download?token=…: the same contract as dataset downloads (Range,
 * ETag, Repr-Digest, revocation checked on every request) under the `artifact` audience; the
 * artifact comes from the token's claim. A dataset or pod token is refused (403).
 */
export function artifactDownloadRoute(deps: ServerDeps, store: ArtifactStore): HttpRoute {
  return {
    methods: ['GET', 'HEAD'],
    path: ARTIFACT_DOWNLOAD_PATH,
    async handle(req, res, _params, url) {
      let verified
      try {
        verified = await verifyToken(deps.keyring, 'artifact', tokenFromRequest(req, url), { issuer: deps.config.issuer, now: deps.clock })
        await assertNotRevoked(deps.revocations, verified.jti)
      } catch (error) {
        if (!isTokenError(error)) throw error
        return sendError(res, tokenErrorStatus(error.code), error.code, error.message)
      }
      const artifact = await deps.db
        .selectFrom('artifacts')
        .select(['storage_key', 'sha256', 'name', 'deployment_id'])
        .where('id', '=', verified.claims.artifact_id)
        .where('status', '=', 'complete')
        .executeTakeFirst()
      const file = artifact ? await store.open(artifact.storage_key) : undefined
      if (!artifact || !file) return sendError(res, 404, 'NOT_FOUND', 'the artifact is no longer available')
      const outcome = await serveFile(req, res, { file, sha256: artifact.sha256, filename: artifact.name })
      try {
        await deps.db
          .insertInto('download_log')
          .values({
            jti: verified.jti,
            dataset_id: null,
            deployment_id: artifact.deployment_id,
            range: req.headers.range?.slice(0, 200) ?? null,
            bytes_sent: outcome.bytesSent,
            status: outcome.status,
          })
          .execute()
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not record an artifact download')
      }
    },
  }
}

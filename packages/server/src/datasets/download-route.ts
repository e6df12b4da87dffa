import { assertNotRevoked, isTokenError, tokenErrorStatus, verifyToken } from '@podlaunch/tokens'
import type { ServerDeps } from '../context.ts'
import { sendError } from '../http/respond.ts'
import type { HttpRoute } from '../http/route.ts'
import { serveFile } from '../http/serve-file.ts'
import { tokenFromRequest } from '../http/token-param.ts'
import { DOWNLOAD_PATH } from './download-url.ts'

/**
 * GET|HEAD /v1/datasets/download?token=…: the dataset comes from the token's claim, never
 * from the request path. Check order: token present (400), valid (401), audience (403),
 * revoked (403, on every request, each Range request too), dataset ready (404).
 */
export function downloadRoute(deps: ServerDeps): HttpRoute {
  return {
    methods: ['GET', 'HEAD'],
    path: DOWNLOAD_PATH,
    async handle(req, res, _params, url) {
      let verified
      try {
        verified = await verifyToken(deps.keyring, 'download', tokenFromRequest(req, url), {
          issuer: deps.config.issuer,
          now: deps.clock,
        })
        await assertNotRevoked(deps.revocations, verified.jti)
      } catch (error) {
        if (!isTokenError(error)) throw error
        if (verified) await logDownload(deps, verified, req.headers.range ?? null, 0, 403)
        return sendError(res, tokenErrorStatus(error.code), error.code, error.message)
      }
      const dataset = await deps.db
        .selectFrom('datasets')
        .select(['storage_key', 'sha256', 'original_filename'])
        .where('id', '=', verified.claims.dataset_id)
        .where('status', '=', 'ready')
        .executeTakeFirst()
      const file = dataset?.sha256 ? await deps.store.open(dataset.storage_key) : undefined
      if (!dataset?.sha256 || !file) {
        await logDownload(deps, verified, req.headers.range ?? null, 0, 404)
        return sendError(res, 404, 'NOT_FOUND', 'the dataset is no longer available')
      }
      const outcome = await serveFile(req, res, { file, sha256: dataset.sha256, filename: dataset.original_filename })
      await logDownload(deps, verified, outcome.range, outcome.bytesSent, outcome.status)
    },
  }
}

async function logDownload(
  deps: ServerDeps,
  token: { jti: string; claims: { dataset_id: string; deployment_id?: string } },
  range: string | null,
  bytesSent: number,
  status: number,
) {
  try {
    await deps.db
      .insertInto('download_log')
      .values({
        jti: token.jti,
        dataset_id: token.claims.dataset_id,
        deployment_id: token.claims.deployment_id ?? null,
        range: range?.slice(0, 200) ?? null,
        bytes_sent: bytesSent,
        status,
      })
      .execute()
  } catch (error) {
    // The log must not turn a served download into a failure (e.g. the row's dataset was purged).
    deps.logger.warn({ err: error }, 'could not record a download')
  }
}

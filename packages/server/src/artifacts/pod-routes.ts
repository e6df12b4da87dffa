import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Artifact } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import { POD_ARTIFACTS_PATH } from '../deployments/pod-env.ts'
import { AppError } from '../errors.ts'
import { readJsonAs } from '../http/read-body.ts'
import { sendJson } from '../http/respond.ts'
import type { HttpRoute } from '../http/route.ts'
import { podDeploymentOf, wrongDeployment } from '../pod/pod-auth.ts'
import { scheduleArtifactTeardown } from './complete.ts'
import { declareArtifact } from './declare.ts'
import type { UploadRegistry } from './registry.ts'
import { DeclareArtifactBody } from './schemas.ts'
import type { ArtifactStore } from './store.ts'
import { receiveContent } from './upload.ts'
import { toUploadState } from './view.ts'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const escaped = POD_ARTIFACTS_PATH.replaceAll('/', '\\/')

/**
 * The pod side of artifacts, authenticated by the pod token (deployment from the token):
 * - `POST /v1/pod/artifacts` {name, sizeBytes, sha256} declares (or finds again) an artifact
 * - `GET /v1/pod/artifacts/{id}` and `HEAD …/{id}/content` tell the server's offset
 * - `PUT …/{id}/content` (Content-Range `bytes a-b/total`) appends from exactly that offset
 * Every answer about an upload is its state {id, status, offset, …} with `Upload-Offset`.
 * Refusals are thrown (AppError or TokenError) and answered by the request handler.
 */
export function podArtifactRoutes(deps: ServerDeps, store: ArtifactStore, uploads: UploadRegistry): HttpRoute[] {
  return [
    {
      methods: ['POST'],
      path: POD_ARTIFACTS_PATH,
      async handle(req, res, _params, url) {
        const deploymentId = await podDeploymentOf(deps, req, url)
        const body = await readJsonAs(req, 16 * 1024, DeclareArtifactBody)
        const declared = await declareArtifact(deps, store, uploads, deploymentId, body)
        sendState(res, declared.row.status === 'complete' ? 200 : 201, declared.row, declared.offset)
      },
    },
    {
      methods: ['GET'],
      path: new RegExp(`^${escaped}\\/(?<id>${UUID})$`),
      async handle(req, res, params, url) {
        const row = await ownArtifact(req, url, params.id!)
        sendState(res, 200, row, await offsetOf(row))
      },
    },
    {
      methods: ['HEAD', 'PUT'],
      path: new RegExp(`^${escaped}\\/(?<id>${UUID})\\/content$`),
      async handle(req, res, params, url) {
        const row = await ownArtifact(req, url, params.id!)
        if (req.method === 'HEAD') {
          res
            .writeHead(204, {
              'Upload-Offset': String(await offsetOf(row)),
              'Upload-Length': String(Number(row.size_bytes)),
              'Cache-Control': 'no-store',
            })
            .end()
          return
        }
        const result = await receiveContent(deps, store, uploads, req, row)
        if (result.kind === 'cut') return
        sendState(res, 200, result.row, result.offset)
        if (result.completed) scheduleArtifactTeardown(deps, result.row.deployment_id)
      },
    },
  ]

  async function ownArtifact(req: IncomingMessage, url: URL, id: string): Promise<Artifact> {
    const deploymentId = await podDeploymentOf(deps, req, url)
    const row = await deps.db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new AppError('NOT_FOUND', 'artifact not found')
    if (row.deployment_id !== deploymentId) throw wrongDeployment()
    return row
  }

  async function offsetOf(row: Artifact): Promise<number> {
    if (row.status === 'complete') return Number(row.size_bytes)
    return row.status === 'uploading' ? store.partialSize(row.storage_key) : 0
  }

  function sendState(res: ServerResponse, status: number, row: Artifact, offset: number) {
    sendJson(res, status, toUploadState(row, deps.config.publicUrl, offset), { 'Upload-Offset': String(offset) })
  }
}

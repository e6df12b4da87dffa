import type { Artifact } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import { POD_ARTIFACTS_PATH } from '../deployments/pod-env.ts'
import { AppError } from '../errors.ts'
import { readJsonAs } from '../http/read-body.ts'
import { emptyResponse, jsonResponse, type PlainRequest, type PlainResponse } from '../http/exchange.ts'
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
      async handle(request) {
        const deploymentId = await podDeploymentOf(deps, request)
        const body = await readJsonAs(request, 16 * 1024, DeclareArtifactBody)
        const declared = await declareArtifact(deps, store, uploads, deploymentId, body)
        return stateResponse(declared.row.status === 'complete' ? 200 : 201, declared.row, declared.offset)
      },
    },
    {
      methods: ['GET'],
      path: new RegExp(`^${escaped}\\/(?<id>${UUID})$`),
      async handle(request, params) {
        const row = await ownArtifact(request, params.id!)
        return stateResponse(200, row, await offsetOf(row))
      },
    },
    {
      methods: ['HEAD', 'PUT'],
      path: new RegExp(`^${escaped}\\/(?<id>${UUID})\\/content$`),
      async handle(request, params) {
        const row = await ownArtifact(request, params.id!)
        if (request.method === 'HEAD') {
          return emptyResponse(204, {
            'Upload-Offset': String(await offsetOf(row)),
            'Upload-Length': String(Number(row.size_bytes)),
            'Cache-Control': 'no-store',
          })
        }
        const result = await receiveContent(deps, store, uploads, request, row)
        const answer = stateResponse(200, result.row, result.offset)
        if (!result.completed) return answer
        return { ...answer, done: () => scheduleArtifactTeardown(deps, result.row.deployment_id) }
      },
    },
  ]

  async function ownArtifact(request: PlainRequest, id: string): Promise<Artifact> {
    const deploymentId = await podDeploymentOf(deps, request)
    const row = await deps.db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new AppError('NOT_FOUND', 'artifact not found')
    if (row.deployment_id !== deploymentId) throw wrongDeployment()
    return row
  }

  async function offsetOf(row: Artifact): Promise<number> {
    if (row.status === 'complete') return Number(row.size_bytes)
    return row.status === 'uploading' ? store.partialSize(row.storage_key) : 0
  }

  function stateResponse(status: number, row: Artifact, offset: number): PlainResponse {
    return jsonResponse(status, toUploadState(row, deps.config, offset), { 'Upload-Offset': String(offset) })
  }
}

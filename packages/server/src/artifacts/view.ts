import type { Artifact } from '@podlaunch/db'
import { publicRouteUrl, type ServerConfig } from '../config.ts'
import { POD_ARTIFACTS_PATH } from '../deployments/pod-env.ts'

/** An artifact as API callers see it (no storage key). */
export function toArtifactView(row: Artifact) {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    name: row.name,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    status: row.status,
    receivedBytes: row.status === 'complete' ? Number(row.size_bytes) : Number(row.received_bytes),
    failureCode: row.failure_code,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  }
}

export type ArtifactView = ReturnType<typeof toArtifactView>

/** What a pod is told about its upload: where to send bytes and how many the server holds. */
export function toUploadState(row: Artifact, config: Pick<ServerConfig, 'publicUrl' | 'basePath'>, offset: number) {
  return {
    id: row.id,
    name: row.name,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    status: row.status,
    offset,
    uploadUrl: publicRouteUrl(config, `${POD_ARTIFACTS_PATH}/${row.id}/content`),
  }
}

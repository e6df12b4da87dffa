import type { Deployment, DeploymentEvent } from '@podlaunch/db'
import type { DeploymentStatus, FailureReason, ProviderName } from '@podlaunch/contract'

export interface DeploymentView {
  id: string
  name: string
  status: DeploymentStatus
  failureReason: FailureReason | null
  failureMessage: string | null
  provider: ProviderName
  providerPodId: string | null
  datasetId: string | null
  gpuType: string | null
  costPerHr: number | null
  /** Cost so far: cost per hour × time from start to finish (or now). */
  costUsd: number | null
  maxRuntimeSeconds: number | null
  maxCostUsd: number | null
  keepAliveSeconds: number
  scriptSha256: string
  spec: Record<string, unknown>
  createdAt: Date
  updatedAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  podTerminatedAt: Date | null
}

export function costSoFar(
  row: Pick<Deployment, 'cost_per_hr' | 'started_at' | 'created_at' | 'pod_terminated_at'>,
  now: Date,
): number | null {
  if (row.cost_per_hr === null) return null
  // A pod bills from creation until it is terminated, whatever the job did.
  const end = row.pod_terminated_at ?? now
  const hours = Math.max(0, end.getTime() - row.created_at.getTime()) / 3_600_000
  return Math.round(Number(row.cost_per_hr) * hours * 10_000) / 10_000
}

export function toDeploymentView(row: Deployment, now: Date): DeploymentView {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    failureReason: row.failure_reason,
    failureMessage: row.failure_message,
    provider: row.provider,
    providerPodId: row.provider_pod_id,
    datasetId: row.dataset_id,
    gpuType: row.gpu_type,
    costPerHr: row.cost_per_hr === null ? null : Number(row.cost_per_hr),
    costUsd: costSoFar(row, now),
    maxRuntimeSeconds: row.max_runtime_s,
    maxCostUsd: row.max_cost_usd === null ? null : Number(row.max_cost_usd),
    keepAliveSeconds: row.keep_alive_s,
    scriptSha256: row.script_sha256,
    spec: row.spec,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    podTerminatedAt: row.pod_terminated_at,
  }
}

export interface DeploymentEventView {
  id: string
  at: Date
  kind: string
  status: DeploymentStatus | null
  message: string | null
  data: Record<string, unknown> | null
}

export function toEventView(row: DeploymentEvent): DeploymentEventView {
  return { id: row.id, at: row.at, kind: row.kind, status: row.status, message: row.message, data: row.data }
}

import type { DeploymentStatus, FailureReason } from './api-types.ts'

/** In lifecycle order; `satisfies` breaks the build when the server adds a status. */
export const DEPLOYMENT_STATUSES = [
  'pending',
  'provisioning',
  'starting',
  'downloading',
  'training',
  'succeeded',
  'failed',
  'cancelled',
] as const satisfies readonly DeploymentStatus[]

type Missing = Exclude<DeploymentStatus, (typeof DEPLOYMENT_STATUSES)[number]>
const _allStatusesListed: Missing extends never ? true : never = true
void _allStatusesListed

export const TERMINAL_STATUSES: readonly DeploymentStatus[] = ['succeeded', 'failed', 'cancelled']

export type StatusTone = 'waiting' | 'active' | 'success' | 'danger' | 'muted'

/** The badge colour family of a status: what someone scanning the table needs to see. */
export function statusTone(status: DeploymentStatus): StatusTone {
  switch (status) {
    case 'pending':
    case 'provisioning':
      return 'waiting'
    case 'starting':
    case 'downloading':
    case 'training':
      return 'active'
    case 'succeeded':
      return 'success'
    case 'failed':
      return 'danger'
    case 'cancelled':
      return 'muted'
  }
}

/** A deployment that can still change (and may still be billing). */
export function isLive(status: DeploymentStatus): boolean {
  return !TERMINAL_STATUSES.includes(status)
}

const FAILURE_LABELS: Record<FailureReason, string> = {
  provider_error: 'Provider error',
  no_capacity: 'No GPU capacity',
  download_failed: 'Dataset download failed',
  checksum_mismatch: 'Dataset checksum mismatch',
  training_failed: 'Training failed',
  setup_failed: 'Setup failed',
  provisioning_timeout: 'Pod did not start in time',
  heartbeat_lost: 'Pod went silent',
  max_runtime_exceeded: 'Max runtime exceeded',
  budget_exceeded: 'Budget exceeded',
  cancelled: 'Cancelled',
}

export function failureLabel(reason: FailureReason | null): string {
  return reason ? (FAILURE_LABELS[reason] ?? reason) : ''
}

/** The filter choices of the deployments table, mapped to the list query's `status` input. */
export const STATUS_FILTERS = {
  all: undefined,
  live: DEPLOYMENT_STATUSES.filter((status) => isLive(status)),
  ...Object.fromEntries(DEPLOYMENT_STATUSES.map((status) => [status, [status]])),
} as Record<string, DeploymentStatus[] | undefined>

export function statusFilterValue(filter: string): DeploymentStatus[] | undefined {
  return STATUS_FILTERS[filter]
}

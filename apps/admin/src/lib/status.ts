import { DEPLOYMENT_STATUSES, LIVE_STATUSES, type DeploymentStatus, type FailureReason } from '@podlaunch/contract'

// Presentation only: the words themselves come from @podlaunch/contract, and `satisfies` breaks
// the build when a status or reason is added there without its tone or label here.

export type StatusTone = 'waiting' | 'active' | 'success' | 'danger' | 'muted'

/** The badge colour family of a status: what someone scanning the table needs to see. */
const STATUS_TONES = {
  pending: 'waiting',
  provisioning: 'waiting',
  starting: 'active',
  downloading: 'active',
  training: 'active',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'muted',
} as const satisfies Record<DeploymentStatus, StatusTone>

export function statusTone(status: DeploymentStatus): StatusTone {
  return STATUS_TONES[status]
}

const FAILURE_LABELS = {
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
} as const satisfies Record<FailureReason, string>

export function failureLabel(reason: FailureReason | null): string {
  return reason ? (FAILURE_LABELS[reason] ?? reason) : ''
}

/** The filter choices of the deployments table, mapped to the list query's `status` input. */
export const STATUS_FILTERS = {
  all: undefined,
  live: [...LIVE_STATUSES],
  ...Object.fromEntries(DEPLOYMENT_STATUSES.map((status) => [status, [status]])),
} as Record<string, DeploymentStatus[] | undefined>

export function statusFilterValue(filter: string): DeploymentStatus[] | undefined {
  return STATUS_FILTERS[filter]
}

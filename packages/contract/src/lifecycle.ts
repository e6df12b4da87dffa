// The deployment lifecycle's vocabulary, written once. The database's CHECK constraints, the
// server, the SDK, the admin app and the bootstrap script all take their words from here.

/** In lifecycle order. */
export const DEPLOYMENT_STATUSES = [
  'pending',
  'provisioning',
  'starting',
  'downloading',
  'training',
  'succeeded',
  'failed',
  'cancelled',
] as const
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number]

export const TERMINAL_STATUSES = ['succeeded', 'failed', 'cancelled'] as const satisfies readonly DeploymentStatus[]
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number]

export function isTerminal(status: DeploymentStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly DeploymentStatus[]).includes(status)
}

export type LiveStatus = Exclude<DeploymentStatus, TerminalStatus>

/** A deployment that can still change (and whose pod may still be billing). */
export function isLive(status: DeploymentStatus): status is LiveStatus {
  return !isTerminal(status)
}

/** The statuses a deployment moves forward through, in lifecycle order. */
export const LIVE_STATUSES: readonly LiveStatus[] = DEPLOYMENT_STATUSES.filter(isLive)

/** Why a deployment failed, machine-readable. */
export const FAILURE_REASONS = [
  'provider_error',
  'no_capacity',
  'download_failed',
  'checksum_mismatch',
  'training_failed',
  'setup_failed',
  'provisioning_timeout',
  'heartbeat_lost',
  'max_runtime_exceeded',
  'budget_exceeded',
  'cancelled',
] as const
export type FailureReason = (typeof FAILURE_REASONS)[number]

export const PROVIDERS = ['local', 'runpod'] as const
export type ProviderName = (typeof PROVIDERS)[number]

export const DATASET_STATUSES = ['uploading', 'ready', 'deleted'] as const
export type DatasetStatus = (typeof DATASET_STATUSES)[number]

export const ARTIFACT_STATUSES = ['uploading', 'complete', 'failed'] as const
export type ArtifactStatus = (typeof ARTIFACT_STATUSES)[number]

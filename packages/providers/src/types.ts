import type { FailureReason, ProviderName } from '@podlaunch/contract'

/** The pod name carries the deployment id, so reconciliation can find our pods by name alone. */
export const POD_NAME_PREFIX = 'podlaunch-'

export function podName(deploymentId: string): string {
  return `${POD_NAME_PREFIX}${deploymentId}`
}

/** The deployment id a pod name carries, or undefined for pods that are not ours. */
export function deploymentIdFromPodName(name: string): string | undefined {
  if (!name.startsWith(POD_NAME_PREFIX)) return undefined
  const id = name.slice(POD_NAME_PREFIX.length)
  return id === '' ? undefined : id
}

export interface CreatePodRequest {
  /** The pod is named `podlaunch-<deploymentId>`. */
  deploymentId: string
  image: string
  /** Ordered candidates, walked on capacity errors. */
  gpu: { types: string[]; count: number }
  cloud?: 'SECURE' | 'COMMUNITY'
  diskGb?: number
  /** The PODLAUNCH_* variables (URLs, tokens): secrets, never logged or put in errors. */
  env: Record<string, string>
  /** The bootstrap script text (bash). */
  script: string
}

export type ProviderPodStatus = 'provisioning' | 'starting' | 'running' | 'exited' | 'error' | 'terminated'

export interface ProviderPod {
  podId: string
  name: string
  status: ProviderPodStatus
  gpuType: string | null
  costPerHr: number | null
}

export interface Provider {
  readonly name: ProviderName
  createPod(request: CreatePodRequest, options?: { signal?: AbortSignal }): Promise<ProviderPod>
  /** undefined: the pod is gone. */
  getPod(podId: string): Promise<ProviderPod | undefined>
  /** Idempotent; resolves only once the provider confirms (a 404 is gone, so done). */
  terminatePod(podId: string): Promise<void>
  listPods(namePrefix: string): Promise<ProviderPod[]>
}

/**
 * - `no_capacity`: every GPU candidate lacked capacity or was forbidden.
 * - `provider_error`: the provider refused or failed (bad key, balance, contract, 5xx exhausted).
 * - `rate_limited`: still 429 after every allowed retry.
 * - `invalid_request`: refused before anything was sent (no GPU types, script too large).
 * - `aborted`: the caller's signal fired; a pod may or may not exist (reconciliation finds it).
 */
export type ProviderErrorCode = 'no_capacity' | 'provider_error' | 'rate_limited' | 'invalid_request' | 'aborted'

/** What one GPU candidate got, for the error message and the deployment's events. */
export interface CandidateAttempt {
  gpuType: string
  status: number
  detail: string
}

export interface ProviderErrorOptions {
  status?: number | undefined
  detail?: string | undefined
  attempts?: CandidateAttempt[] | undefined
  cause?: unknown
}

export class ProviderError extends Error {
  readonly code: ProviderErrorCode
  /** The provider's HTTP status of the last answer, when there was one. */
  readonly status: number | undefined
  /** The provider's own explanation (RunPod's problem `detail`), already redacted. */
  readonly detail: string | undefined
  readonly attempts: CandidateAttempt[]

  constructor(code: ProviderErrorCode, message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ProviderError'
    this.code = code
    this.status = options.status
    this.detail = options.detail
    this.attempts = options.attempts ?? []
  }

  /** The deployment's machine-readable failure reason for this error. */
  get reason(): Extract<FailureReason, 'no_capacity' | 'provider_error'> {
    return this.code === 'no_capacity' ? 'no_capacity' : 'provider_error'
  }
}

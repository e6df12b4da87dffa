export { POD_NAME_PREFIX, ProviderError, deploymentIdFromPodName, podName } from './types.ts'
export type {
  CandidateAttempt,
  CreatePodRequest,
  Provider,
  ProviderErrorCode,
  ProviderPod,
  ProviderPodStatus,
} from './types.ts'
export { createLocalProvider, minimalHostEnv } from './local.ts'
export type { LocalPod, LocalProvider, LocalProviderOptions } from './local.ts'
export { createRunpodProvider } from './runpod.ts'
export type { RunpodProvider, RunpodProviderOptions } from './runpod.ts'
export { MAX_ARGS_BYTES, bootstrapArgs } from './runpod-create-body.ts'

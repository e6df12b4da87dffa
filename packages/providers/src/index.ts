// What a server needs to create, watch and end pods: one interface and its implementations.
// A new cloud adds a module here and nothing to the server.
export { POD_NAME_PREFIX, ProviderError, deploymentIdFromPodName, podName } from './types.ts'
export type { CandidateAttempt, CreatePodRequest, Provider, ProviderErrorCode, ProviderPod, ProviderPodStatus } from './types.ts'
export { createLocalProvider, minimalHostEnv } from './local.ts'
export type { LocalPod, LocalProvider, LocalProviderOptions } from './local.ts'
export { DEFAULT_RUNPOD_URL, createRunpodProvider } from './runpod.ts'
export type { RunpodProvider, RunpodProviderOptions } from './runpod.ts'
export type { FetchFn } from './runpod-http.ts'

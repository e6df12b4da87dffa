import { createTrpcClient, type ClientOptions, type PodlaunchTrpcClient } from './client.ts'
import { downloadArtifact, type ArtifactInfo, type DownloadArtifactOptions } from './download-artifact.ts'
import { uploadDataset, type UploadDatasetOptions, type UploadedDataset } from './upload-dataset.ts'
import { waitForDeployment, type DeploymentDetail, type WaitForDeploymentOptions } from './wait-for-deployment.ts'

export { podlaunchLinks } from './client.ts'
export type { ClientOptions, PodlaunchTrpcClient } from './client.ts'
export { WaitForDeploymentError, WaitTimeoutError } from './wait-for-deployment.ts'
export type { DeploymentDetail, DeploymentEvent, WaitForDeploymentOptions } from './wait-for-deployment.ts'
export type { ClientRouter as AppRouter } from '@podlaunch/server'
export { TRPCClientError } from '@trpc/client'
export { appCodeOf, isPodlaunchTrpcError, PodlaunchError } from './errors.ts'
export type { ClientErrorCode, PodlaunchErrorCode } from './errors.ts'
// The vocabulary the procedures' outputs speak, so a consumer names it without a second import.
export type { AppErrorCode, DatasetStatus, DeploymentStatus, FailureReason, ProviderName } from '@podlaunch/contract'
export { UploadDatasetError, type UploadDatasetOptions, type UploadedDataset } from './upload-dataset.ts'
export { DownloadArtifactError, type ArtifactInfo, type DownloadArtifactOptions } from './download-artifact.ts'

/** Helpers that take more than one procedure call (uploads, waiting). */
export interface ClientHelpers {
  /** The options this client was made with (the API key stays inside). */
  readonly baseUrl: string
  /** Creates a dataset and streams its bytes (path, Blob or stream); see upload-dataset.ts. */
  uploadDataset(options: UploadDatasetOptions): Promise<UploadedDataset>
  /** Streams a stored artifact (the trained model) to a path or stream; resumes and verifies its sha256. */
  downloadArtifact(id: string, options: DownloadArtifactOptions): Promise<ArtifactInfo & { path?: string }>
  /** Resolves once the deployment succeeded, failed or was cancelled (live, over SSE). */
  waitForDeployment(id: string, options?: WaitForDeploymentOptions): Promise<DeploymentDetail>
}

/** The typed tRPC client with the SDK's helpers beside the procedures: `client.deployments.get.query(…)`. */
export type PodlaunchClient = PodlaunchTrpcClient & ClientHelpers

export function createClient(options: ClientOptions): PodlaunchClient {
  const trpc = createTrpcClient(options)
  const helpers: ClientHelpers = {
    baseUrl: options.url.replace(/\/+$/, ''),
    uploadDataset: (upload) => uploadDataset(options, trpc, upload),
    waitForDeployment: (id, wait) => waitForDeployment(trpc, id, wait),
    downloadArtifact: (id, download) => downloadArtifact(options, trpc, id, download),
  }
  // The tRPC client is a proxy over procedure paths; helpers answer first, by name.
  return new Proxy(trpc, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && Object.hasOwn(helpers, prop)) return helpers[prop as keyof ClientHelpers]
      return Reflect.get(target, prop, receiver)
    },
  }) as PodlaunchClient
}

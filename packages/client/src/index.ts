import { createTrpcClient, type ClientOptions, type PodlaunchTrpcClient } from './client.js'
import { downloadArtifact, type ArtifactInfo, type DownloadArtifactOptions } from './download-artifact.js'
import { uploadDataset, type UploadDatasetOptions, type UploadedDataset } from './upload-dataset.js'
import { waitForDeployment, type DeploymentDetail, type WaitForDeploymentOptions } from './wait-for-deployment.js'

export { podlaunchLinks } from './client.js'
export type { ClientOptions, PodlaunchTrpcClient } from './client.js'
export { WaitForDeploymentError, WaitTimeoutError } from './wait-for-deployment.js'
export type { DeploymentDetail, DeploymentEvent, WaitForDeploymentOptions } from './wait-for-deployment.js'
export type { AppRouter } from '@podlaunch/server'
export { TRPCClientError } from '@trpc/client'
export { appCodeOf, isPodlaunchTrpcError, PodlaunchError } from './errors.js'
export type { ClientErrorCode, PodlaunchErrorCode } from './errors.js'
export type { AppErrorCode } from '@podlaunch/contract'
export { UploadDatasetError, type UploadDatasetOptions, type UploadedDataset } from './upload-dataset.js'
export { DownloadArtifactError, type ArtifactInfo, type DownloadArtifactOptions } from './download-artifact.js'

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

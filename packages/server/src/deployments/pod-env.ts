import { publicRouteUrl, type ServerConfig } from '../config.ts'

export const POD_EVENTS_PATH = '/v1/pod/events'
export const POD_ARTIFACTS_PATH = '/v1/pod/artifacts'

/** The environment a pod gets: where to fetch its dataset, where to report and upload, and its token. */
export function podEnvironment(
  config: ServerConfig,
  values: { deploymentId: string; datasetUrl: string; datasetSha256: string; datasetSize: number; podToken: string },
): Record<string, string> {
  return {
    PODLAUNCH_DEPLOYMENT_ID: values.deploymentId,
    PODLAUNCH_DATASET_URL: values.datasetUrl,
    PODLAUNCH_DATASET_SHA256: values.datasetSha256,
    PODLAUNCH_DATASET_SIZE: String(values.datasetSize),
    PODLAUNCH_EVENTS_URL: publicRouteUrl(config, POD_EVENTS_PATH),
    PODLAUNCH_ARTIFACTS_URL: publicRouteUrl(config, POD_ARTIFACTS_PATH),
    PODLAUNCH_POD_TOKEN: values.podToken,
  }
}

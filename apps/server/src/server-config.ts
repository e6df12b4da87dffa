import { defaultConfig, type ServerConfig } from '@podlaunch/server'
import { publicUrlOf, type Env } from './env.ts'

/** The library's config from what the operator set; unset values keep the library's defaults. */
export function serverConfigOf(env: Env, port: number): ServerConfig {
  return defaultConfig({
    dataDir: env.dataDir,
    publicUrl: publicUrlOf(env, port),
    maxDatasetBytes: env.PODLAUNCH_MAX_DATASET_BYTES,
    reconcileIntervalSeconds: env.PODLAUNCH_RECONCILE_INTERVAL_SECONDS,
    deployments: {
      defaultProvider: env.PODLAUNCH_DEFAULT_PROVIDER,
      heartbeatSeconds: env.PODLAUNCH_HEARTBEAT_SECONDS,
      shipIntervalSeconds: env.PODLAUNCH_SHIP_INTERVAL_SECONDS,
      pendingGraceSeconds: env.PODLAUNCH_PENDING_GRACE_SECONDS,
    },
  })
}

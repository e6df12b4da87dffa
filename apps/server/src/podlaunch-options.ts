import type { PodlaunchOptions } from '@podlaunch/server'
import { publicUrlOf, type Env } from './env.ts'

/** The library's options from what the operator set; unset values keep the library's defaults. */
export function podlaunchOptionsOf(env: Env, port: number): PodlaunchOptions {
  return {
    publicUrl: publicUrlOf(env, port),
    dataDir: env.dataDir,
    databaseUrl: env.DATABASE_URL,
    signingKey: env.PODLAUNCH_SIGNING_KEY,
    verificationKeys: env.PODLAUNCH_VERIFICATION_KEYS,
    runpod: env.PODLAUNCH_RUNPOD_API_KEY ? { apiKey: env.PODLAUNCH_RUNPOD_API_KEY, baseUrl: env.PODLAUNCH_RUNPOD_URL } : undefined,
    localPodEnv: env.hostEnv,
    logLevel: env.LOG_LEVEL,
    admin: { apiKey: env.PODLAUNCH_ADMIN_API_KEY },
    config: {
      maxDatasetBytes: env.PODLAUNCH_MAX_DATASET_BYTES,
      reconcileIntervalSeconds: env.PODLAUNCH_RECONCILE_INTERVAL_SECONDS,
      deployments: {
        defaultProvider: env.PODLAUNCH_DEFAULT_PROVIDER,
        heartbeatSeconds: env.PODLAUNCH_HEARTBEAT_SECONDS,
        shipIntervalSeconds: env.PODLAUNCH_SHIP_INTERVAL_SECONDS,
        pendingGraceSeconds: env.PODLAUNCH_PENDING_GRACE_SECONDS,
      },
    },
  }
}

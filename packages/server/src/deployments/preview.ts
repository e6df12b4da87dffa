import type { DeploymentSpec } from '@podlaunch/script'
import type { AuthedContext } from '../trpc.ts'
import { readyDatasetOf, resolveDeployment } from './spec.ts'

/** The script create would store for this spec, without side effects. */
export async function previewScript({ ctx, input }: { ctx: AuthedContext; input: DeploymentSpec }) {
  const dataset = await readyDatasetOf(ctx.db, ctx.user.id, input.datasetId)
  const resolved = await resolveDeployment(ctx.config, input, dataset)
  return { script: resolved.script, sha256: resolved.sha256, provider: resolved.provider, image: resolved.image }
}

export function scriptDefaults({ ctx }: { ctx: AuthedContext }) {
  const { provisioningTimeoutSeconds: _timeout, podDownloadTtlSeconds: _ttl, ...defaults } = ctx.config.deployments
  return { ...defaults, providers: Object.keys(ctx.providers) }
}

import type { DeploymentSpec, ScriptDefaults } from '@podlaunch/script'
import type { AuthedContext } from '../trpc.ts'
import { readyDatasetOf, resolveDeployment } from './spec.ts'

/** The script create would store for this spec, without side effects. */
export async function previewScript({ ctx, input }: { ctx: AuthedContext; input: DeploymentSpec }) {
  const dataset = await readyDatasetOf(ctx.db, ctx.user.id, input.datasetId)
  const resolved = await resolveDeployment(ctx.config, input, dataset)
  return { script: resolved.script, sha256: resolved.sha256, provider: resolved.provider, image: resolved.image }
}

/** Only what shapes a script: clients build the same preview from exactly these. */
export function scriptDefaults({ ctx }: { ctx: AuthedContext }): ScriptDefaults & { providers: string[] } {
  const settings = ctx.config.deployments
  return {
    defaultProvider: settings.defaultProvider,
    defaultImage: settings.defaultImage,
    keepAliveSeconds: settings.keepAliveSeconds,
    maxRuntimeSeconds: settings.maxRuntimeSeconds,
    maxRuntimeCapSeconds: settings.maxRuntimeCapSeconds,
    heartbeatSeconds: settings.heartbeatSeconds,
    shipIntervalSeconds: settings.shipIntervalSeconds,
    providers: Object.keys(ctx.providers),
  }
}

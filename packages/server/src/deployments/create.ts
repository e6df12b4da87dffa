import { randomUUID } from 'node:crypto'
import { mintToken } from '@podlaunch/tokens'
import type { DeploymentSpec } from '@podlaunch/script'
import type { Deployment } from '@podlaunch/db'
import { createDownloadUrl } from '../datasets/download-url.ts'
import { appendEvent } from '../events/append.ts'
import { AppError } from '../errors.ts'
import { onTerminal } from '../lifecycle/teardown.ts'
import { ProviderError } from '@podlaunch/providers'
import type { AuthedContext } from '../trpc.ts'
import { podEnvironment } from './pod-env.ts'
import { canonicalSpec, readyDatasetOf, resolveDeployment, stableStringify } from './spec.ts'
import { transition } from './transition.ts'
import { toDeploymentView } from './view.ts'

// Slack beyond the runtime for provisioning, download and the final reports.
const POD_TOKEN_MARGIN_SECONDS = 2 * 3600
const MAX_POD_TOKEN_SECONDS = 24 * 3600

/**
 * deployments.create: validate → dataset check → insert (pending, idempotency key) → mint
 * tokens → create the pod → record it. The same key with the same spec returns the first
 * deployment and never makes a second pod; with another spec it is a CONFLICT.
 */
export async function createDeployment({ ctx, input }: { ctx: AuthedContext; input: DeploymentSpec }) {
  const dataset = await readyDatasetOf(ctx.db, ctx.user.id, input.datasetId)
  const resolved = await resolveDeployment(ctx.config, input, dataset)
  const provider = ctx.providers[resolved.provider]
  if (!provider) throw new AppError('PRECONDITION_FAILED', `the ${resolved.provider} provider is not configured on this server`)

  const now = ctx.clock()
  // The id is chosen here so both tokens can be minted before the row is written.
  const deploymentId = randomUUID()
  const download = await createDownloadUrl(ctx, {
    datasetId: dataset.id,
    deploymentId,
    ttlSeconds: ctx.config.deployments.podDownloadTtlSeconds,
  })
  const podToken = await mintToken(ctx.keyring, 'pod', {
    subject: deploymentId,
    claims: { deployment_id: deploymentId },
    ttlSeconds: Math.min(MAX_POD_TOKEN_SECONDS, resolved.maxRuntimeSeconds + POD_TOKEN_MARGIN_SECONDS),
    issuer: ctx.config.issuer,
    now: ctx.clock,
  })
  const inserted = await ctx.db
    .insertInto('deployments')
    .values({
      id: deploymentId,
      owner_id: ctx.user.id,
      dataset_id: dataset.id,
      name: input.name,
      provider: resolved.provider,
      spec: canonicalSpec(input),
      script: resolved.script,
      script_sha256: resolved.sha256,
      idempotency_key: input.idempotencyKey ?? null,
      max_runtime_s: resolved.maxRuntimeSeconds,
      max_cost_usd: input.maxCostUsd ?? null,
      keep_alive_s: resolved.keepAliveSeconds,
      download_jti: download.jti,
      pod_jti: podToken.jti,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['owner_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst()
  // Lost the race for this idempotency key: the tokens minted above were never handed out.
  if (!inserted) return toDeploymentView(await existingForKey(ctx, input), now)
  await appendEvent(ctx.db, inserted.id, { kind: 'created', status: 'pending', message: 'deployment created', at: now })

  try {
    const pod = await provider.createPod({
      deploymentId: inserted.id,
      image: resolved.image,
      gpu: input.gpu,
      ...(input.cloud ? { cloud: input.cloud } : {}),
      ...(input.diskGb ? { diskGb: input.diskGb } : {}),
      script: resolved.script,
      env: podEnvironment(ctx.config, {
        deploymentId: inserted.id,
        datasetUrl: download.url,
        datasetSha256: dataset.sha256!,
        datasetSize: Number(dataset.size_bytes),
        podToken: podToken.token,
      }),
    })
    await ctx.hooks?.afterPodCreated?.({ deploymentId: inserted.id, podId: pod.podId })
    const podColumns = { provider_pod_id: pod.podId, gpu_type: pod.gpuType, cost_per_hr: pod.costPerHr ?? null }
    const moved = await transition(ctx.db, inserted.id, {
      to: 'provisioning',
      set: podColumns,
      at: ctx.clock(),
      message: `pod ${pod.podId} created on ${resolved.provider}${pod.gpuType ? ` (${pod.gpuType})` : ''}`,
      data: { podId: pod.podId, gpuType: pod.gpuType, costPerHr: pod.costPerHr },
    })
    if (moved.ok) return toDeploymentView(moved.deployment, ctx.clock())
    // A fast pod already reported (its status is further along): record the pod all the same.
    const recorded = await ctx.db.updateTable('deployments').set(podColumns).where('id', '=', inserted.id).returningAll().executeTakeFirst()
    return toDeploymentView(recorded ?? inserted, ctx.clock())
  } catch (error) {
    const failed = await failCreation(ctx, inserted.id, error)
    return toDeploymentView(failed ?? inserted, ctx.clock())
  }
}

async function existingForKey(ctx: AuthedContext, input: DeploymentSpec): Promise<Deployment> {
  const existing = await ctx.db
    .selectFrom('deployments')
    .selectAll()
    .where('owner_id', '=', ctx.user.id)
    .where('idempotency_key', '=', input.idempotencyKey!)
    .executeTakeFirstOrThrow()
  if (stableStringify(existing.spec) !== canonicalSpec(input)) {
    throw new AppError('CONFLICT', 'this idempotency key was used with a different spec')
  }
  return existing
}

async function failCreation(ctx: AuthedContext, deploymentId: string, error: unknown) {
  const reason = error instanceof ProviderError ? error.reason : 'provider_error'
  const message = error instanceof Error ? error.message : String(error)
  ctx.logger.warn({ deploymentId, reason, message }, 'pod creation failed')
  const moved = await transition(ctx.db, deploymentId, { to: 'failed', reason, message, at: ctx.clock() })
  if (moved.ok) await onTerminal(ctx, moved.deployment)
  return moved.ok ? moved.deployment : moved.current
}

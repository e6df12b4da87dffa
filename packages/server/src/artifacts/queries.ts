import type { Artifact } from '@podlaunch/db'
import { findOwnDeployment } from '../deployments/queries.ts'
import { AppError, notFound } from '../errors.ts'
import type { AuthedContext } from '../trpc.ts'
import { createArtifactDownloadUrl } from './download-url.ts'
import { toArtifactView } from './view.ts'

type Args<Input> = { ctx: AuthedContext; input: Input }

/** The caller's artifact (through its deployment's owner); NOT_FOUND for anyone else's. */
async function findOwnArtifact(ctx: AuthedContext, id: string): Promise<Artifact> {
  const row = await ctx.db
    .selectFrom('artifacts')
    .innerJoin('deployments', 'deployments.id', 'artifacts.deployment_id')
    .selectAll('artifacts')
    .where('artifacts.id', '=', id)
    .where('deployments.owner_id', '=', ctx.user.id)
    .executeTakeFirst()
  if (!row) throw notFound('artifact')
  return row
}

/** deployments.artifacts: what the pod declared and stored, oldest first. */
export async function listDeploymentArtifacts({ ctx, input }: Args<{ id: string }>) {
  await findOwnDeployment(ctx, input.id)
  const rows = await ctx.db
    .selectFrom('artifacts')
    .selectAll()
    .where('deployment_id', '=', input.id)
    .orderBy('created_at')
    .orderBy('name')
    .execute()
  return rows.map(toArtifactView)
}

export async function getArtifact({ ctx, input }: Args<{ id: string }>) {
  return toArtifactView(await findOwnArtifact(ctx, input.id))
}

export async function createArtifactDownloadUrlFor({ ctx, input }: Args<{ id: string; ttlSeconds?: number | undefined }>) {
  const artifact = await findOwnArtifact(ctx, input.id)
  if (artifact.status !== 'complete') throw new AppError('PRECONDITION_FAILED', 'the artifact is not stored yet')
  return createArtifactDownloadUrl(ctx, { artifactId: artifact.id, deploymentId: artifact.deployment_id, ttlSeconds: input.ttlSeconds })
}

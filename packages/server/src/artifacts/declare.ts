import { randomUUID } from 'node:crypto'
import type { Artifact } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { UploadRegistry } from './registry.ts'
import type { DeclareArtifact } from './schemas.ts'
import type { ArtifactStore } from './store.ts'

// Far more than a job needs (the script sends one archive); a bound on rows a pod can make.
export const MAX_ARTIFACTS_PER_DEPLOYMENT = 100

export interface Declared {
  row: Artifact
  /** Bytes the server already holds: resume from here. */
  offset: number
}

/**
 * Declares an artifact of the pod's deployment, or finds the one it declared before:
 * the same name, size and sha256 resume (a restarted pod continues its upload); another size
 * or sha256 starts over unless that artifact is already stored (CONFLICT). Limits: the
 * server's maxArtifactBytes per artifact and the spec's `artifacts.maxBytes` for the
 * deployment's total, both 413 with nothing kept.
 */
export async function declareArtifact(
  deps: Pick<ServerDeps, 'db' | 'clock' | 'config'>,
  store: ArtifactStore,
  uploads: UploadRegistry,
  deploymentId: string,
  input: DeclareArtifact,
): Promise<Declared> {
  if (input.sizeBytes > deps.config.maxArtifactBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `the artifact is larger than this server's limit of ${deps.config.maxArtifactBytes} bytes`)
  }
  const deployment = await deps.db.selectFrom('deployments').select(['id', 'spec']).where('id', '=', deploymentId).executeTakeFirst()
  if (!deployment) throw new AppError('NOT_FOUND', 'deployment not found')
  const existing = await findByName(deps, deploymentId, input.name)
  const same = existing && Number(existing.size_bytes) === input.sizeBytes && existing.sha256 === input.sha256
  if (existing?.status === 'complete') {
    if (same) return { row: existing, offset: input.sizeBytes }
    throw new AppError('CONFLICT', `an artifact named ${input.name} is already stored with other content`)
  }
  if (existing && same && existing.status === 'uploading') {
    return { row: existing, offset: await store.partialSize(existing.storage_key) }
  }
  await checkDeploymentCap(deps, deploymentId, deployment.spec, input, existing?.id)

  const now = deps.clock()
  if (existing) {
    const release = await uploads.acquire(existing.id, () => undefined)
    try {
      uploads.forget(existing.id)
      await store.discardPartial(existing.storage_key)
      const row = await deps.db
        .updateTable('artifacts')
        .set({
          size_bytes: input.sizeBytes,
          sha256: input.sha256,
          status: 'uploading',
          received_bytes: 0,
          failure_code: null,
          updated_at: now,
          completed_at: null,
        })
        .where('id', '=', existing.id)
        .where('status', '!=', 'complete')
        .returningAll()
        .executeTakeFirst()
      if (!row) throw new AppError('CONFLICT', `an artifact named ${input.name} was stored meanwhile`)
      return { row, offset: 0 }
    } finally {
      release()
    }
  }
  const count = await deps.db
    .selectFrom('artifacts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirstOrThrow()
  if (Number(count.n) >= MAX_ARTIFACTS_PER_DEPLOYMENT) {
    throw new AppError('CONFLICT', `a deployment may declare at most ${MAX_ARTIFACTS_PER_DEPLOYMENT} artifacts`)
  }
  const inserted = await deps.db
    .insertInto('artifacts')
    .values({
      deployment_id: deploymentId,
      name: input.name,
      size_bytes: input.sizeBytes,
      sha256: input.sha256,
      storage_key: randomUUID(),
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['deployment_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst()
  if (inserted) return { row: inserted, offset: 0 }
  // A concurrent declaration of the same name won the insert: answer as if it came first.
  return declareArtifact(deps, store, uploads, deploymentId, input)
}

async function findByName(deps: Pick<ServerDeps, 'db'>, deploymentId: string, name: string) {
  return deps.db.selectFrom('artifacts').selectAll().where('deployment_id', '=', deploymentId).where('name', '=', name).executeTakeFirst()
}

async function checkDeploymentCap(
  deps: Pick<ServerDeps, 'db'>,
  deploymentId: string,
  spec: Record<string, unknown>,
  input: DeclareArtifact,
  replacing: string | undefined,
) {
  const artifacts = spec.artifacts as { maxBytes?: unknown } | undefined
  const cap = typeof artifacts?.maxBytes === 'number' ? artifacts.maxBytes : undefined
  if (cap === undefined) return
  let others = deps.db
    .selectFrom('artifacts')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('size_bytes'), eb.val('0')).as('total'))
    .where('deployment_id', '=', deploymentId)
    .where('status', '!=', 'failed')
  if (replacing) others = others.where('id', '!=', replacing)
  const { total } = await others.executeTakeFirstOrThrow()
  if (Number(total) + input.sizeBytes > cap) {
    throw new AppError('PAYLOAD_TOO_LARGE', `the deployment's artifacts would exceed its artifacts.maxBytes of ${cap} bytes`)
  }
}

import { buildDeploymentScript, type DeploymentSpec, type ResolvedDeployment } from '@podlaunch/script'
import type { Kysely } from 'kysely'
import type { Database, Dataset } from '@podlaunch/db'
import type { ServerConfig } from '../config.ts'
import { AppError } from '../errors.ts'

/** The caller's ready dataset, or PRECONDITION_FAILED: a deployment cannot start without it. */
export async function readyDatasetOf(db: Kysely<Database>, ownerId: string, datasetId: string): Promise<Dataset> {
  const dataset = await db
    .selectFrom('datasets')
    .selectAll()
    .where('id', '=', datasetId)
    .where('owner_id', '=', ownerId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst()
  if (!dataset) throw new AppError('PRECONDITION_FAILED', 'the dataset does not exist or is not yours')
  if (dataset.status !== 'ready' || !dataset.sha256) {
    throw new AppError('PRECONDITION_FAILED', 'the dataset is not ready: upload its content first')
  }
  return dataset
}

/** Builds the script exactly as create stores it (previewScript shows the same bytes). */
export async function resolveDeployment(config: ServerConfig, spec: DeploymentSpec, dataset: Dataset): Promise<ResolvedDeployment> {
  try {
    return await buildDeploymentScript(spec, { datasetFilename: dataset.original_filename, defaults: config.deployments })
  } catch (error) {
    if (error instanceof RangeError) throw new AppError('BAD_REQUEST', error.message)
    throw error
  }
}

/** Spec as stored, for idempotency comparison: key order must not matter. */
export function canonicalSpec(spec: DeploymentSpec): string {
  const { idempotencyKey: _key, ...rest } = spec
  return stableStringify(rest)
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

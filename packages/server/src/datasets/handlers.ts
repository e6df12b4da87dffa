import { basename } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database, Dataset } from '@podlaunch/db'
import type { StoredFile } from './store.ts'
import type { z } from 'zod'
import { publicRouteUrl } from '../config.ts'
import { AppError, notFound } from '../errors.ts'
import { createdBefore, decodeCursor, toPage } from '../pagination.ts'
import type { AuthedContext } from '../trpc.ts'
import { createDownloadUrl } from './download-url.ts'
import { resolveImportPath } from './import-path.ts'
import type { CreateDatasetInput, CreateDownloadUrlInput, ListDatasetsInput, RegisterDatasetInput } from './schemas.ts'
import { toDatasetView } from './view.ts'

type Args<Input> = { ctx: AuthedContext; input: Input }

export function uploadUrlOf(ctx: AuthedContext, id: string): string {
  return publicRouteUrl(ctx.config, `/v1/datasets/${id}/content`)
}

/** The caller's dataset, not deleted; NOT_FOUND for anyone else's. */
export async function findOwnDataset(ctx: AuthedContext, id: string): Promise<Dataset> {
  const row = await ctx.db
    .selectFrom('datasets')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ctx.user.id)
    .where('status', '!=', 'deleted')
    .executeTakeFirst()
  if (!row) throw notFound('dataset')
  return row
}

export async function createDataset({ ctx, input }: Args<z.infer<typeof CreateDatasetInput>>) {
  if (input.sizeBytes > ctx.config.maxDatasetBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `datasets may be at most ${ctx.config.maxDatasetBytes} bytes`)
  }
  const row = await ctx.db
    .insertInto('datasets')
    .values({
      owner_id: ctx.user.id,
      name: input.name,
      original_filename: input.filename,
      storage_key: ctx.store.newKey(),
      size_bytes: input.sizeBytes,
      sha256: input.sha256 ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { dataset: toDatasetView(row), uploadUrl: uploadUrlOf(ctx, row.id) }
}

export async function listDatasets({ ctx, input }: Args<z.infer<typeof ListDatasetsInput>>) {
  let query = ctx.db.selectFrom('datasets').selectAll().where('owner_id', '=', ctx.user.id).where('status', '!=', 'deleted')
  if (input.status) query = query.where('status', '=', input.status)
  if (input.cursor) {
    query = query.where(createdBefore(decodeCursor(input.cursor)))
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1)
    .execute()
  return toPage(rows, input.limit, toDatasetView)
}

export async function getDataset({ ctx, input }: Args<{ id: string }>) {
  return toDatasetView(await findOwnDataset(ctx, input.id))
}

export async function deleteDataset({ ctx, input }: Args<{ id: string }>) {
  const row = await ctx.db
    .updateTable('datasets')
    .set({ status: 'deleted', updated_at: ctx.clock() })
    .where('id', '=', input.id)
    .where('owner_id', '=', ctx.user.id)
    .where('status', '!=', 'deleted')
    .returningAll()
    .executeTakeFirst()
  if (!row) throw notFound('dataset')
  // Download tokens check that the dataset is still ready on every request, so they stop here.
  await ctx.store.remove(row.storage_key)
  return toDatasetView(row)
}

export async function registerDataset({ ctx, input }: Args<z.infer<typeof RegisterDatasetInput>>) {
  const path = await resolveImportPath(ctx.config.importDir, input.path)
  const key = ctx.store.newKey()
  const stored = await ctx.store.adopt(key, path)
  if (stored.sizeBytes > ctx.config.maxDatasetBytes) {
    await ctx.store.remove(key)
    throw new AppError('PAYLOAD_TOO_LARGE', `datasets may be at most ${ctx.config.maxDatasetBytes} bytes`)
  }
  try {
    const row = await insertReadyDataset(ctx.db, { ownerId: ctx.user.id, name: input.name, filename: basename(path), key, stored })
    return toDatasetView(row)
  } catch (error) {
    await ctx.store.remove(key)
    throw error
  }
}

/** The row of a dataset whose bytes are already in the store under `key`. */
export function insertReadyDataset(
  db: Kysely<Database>,
  values: { ownerId: string; name: string; filename: string; key: string; stored: StoredFile },
): Promise<Dataset> {
  return db
    .insertInto('datasets')
    .values({
      owner_id: values.ownerId,
      name: values.name,
      original_filename: values.filename,
      storage_key: values.key,
      size_bytes: values.stored.sizeBytes,
      sha256: values.stored.sha256,
      status: 'ready',
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function createDatasetDownloadUrl({ ctx, input }: Args<z.infer<typeof CreateDownloadUrlInput>>) {
  const dataset = await findOwnDataset(ctx, input.id)
  if (dataset.status !== 'ready') throw new AppError('PRECONDITION_FAILED', 'the dataset is not ready: upload its content first')
  return createDownloadUrl(ctx, { datasetId: dataset.id, ttlSeconds: input.ttlSeconds })
}

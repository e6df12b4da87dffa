import { DATASET_STATUSES } from '@podlaunch/contract'
import { z } from 'zod'
import { PageInput } from '../pagination.ts'

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters')
// Shown to people and sent in Content-Disposition: printable, no path separators.
const Filename = z
  .string()
  .min(1)
  .max(255)
  .refine((value) => !/[/\\\p{Cc}]/u.test(value) && value !== '.' && value !== '..', {
    message: 'must be a plain file name without slashes or control characters',
  })

export const DatasetName = z.string().trim().min(1).max(200)
export const DatasetId = z.object({ id: z.uuid() })

export const CreateDatasetInput = z.object({
  name: DatasetName,
  filename: Filename,
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256: Sha256Hex.optional(),
})

export const ListDatasetsInput = PageInput.extend({
  // Deleted datasets are never listed.
  status: z.enum(DATASET_STATUSES).exclude(['deleted']).optional(),
}).default({ limit: 50 })

export const RegisterDatasetInput = z.object({
  name: DatasetName,
  path: z.string().min(1).max(4096),
})

export const CreateDownloadUrlInput = z.object({
  id: z.uuid(),
  ttlSeconds: z.number().int().min(1).optional(),
})

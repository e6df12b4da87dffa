import type { DatasetStatus } from '@podlaunch/contract'
import type { Dataset } from '@podlaunch/db'

export interface DatasetView {
  id: string
  name: string
  filename: string
  sizeBytes: number
  sha256: string | null
  status: DatasetStatus
  createdAt: Date
  updatedAt: Date
}

export function toDatasetView(row: Dataset): DatasetView {
  return {
    id: row.id,
    name: row.name,
    filename: row.original_filename,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

import { adminProcedure, authedProcedure, router } from '../trpc.ts'
import { createDataset, createDatasetDownloadUrl, deleteDataset, getDataset, listDatasets, registerDataset } from './handlers.ts'
import { CreateDatasetInput, CreateDownloadUrlInput, DatasetId, ListDatasetsInput, RegisterDatasetInput } from './schemas.ts'

export const datasetsRouter = router({
  create: authedProcedure.input(CreateDatasetInput).mutation(createDataset),
  list: authedProcedure.input(ListDatasetsInput).query(listDatasets),
  get: authedProcedure.input(DatasetId).query(getDataset),
  delete: authedProcedure.input(DatasetId).mutation(deleteDataset),
  register: adminProcedure.input(RegisterDatasetInput).mutation(registerDataset),
  createDownloadUrl: authedProcedure.input(CreateDownloadUrlInput).mutation(createDatasetDownloadUrl),
})

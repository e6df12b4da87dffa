import { authedProcedure, router } from '../trpc.ts'
import { createArtifactDownloadUrlFor, getArtifact } from './queries.ts'
import { ArtifactId, CreateArtifactDownloadUrlInput } from './schemas.ts'

export const artifactsRouter = router({
  get: authedProcedure.input(ArtifactId).query(getArtifact),
  /** A signed URL for one stored artifact: `GET|HEAD /v1/artifacts/download?token=…`. */
  createDownloadUrl: authedProcedure.input(CreateArtifactDownloadUrlInput).mutation(createArtifactDownloadUrlFor),
})

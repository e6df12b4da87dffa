import { z } from 'zod'

// A plain file name: it becomes the download's Content-Disposition, never a path.
const ArtifactName = z
  .string()
  .min(1)
  .max(255)
  .refine((value) => !/[/\\\p{Cc}]/u.test(value) && value !== '.' && value !== '..', {
    message: 'must be a plain file name without slashes or control characters',
  })

/** What a pod declares before sending bytes (`POST /v1/pod/artifacts`). */
export const DeclareArtifactBody = z.object({
  name: ArtifactName,
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .transform((value) => value.toLowerCase()),
})
export type DeclareArtifact = z.output<typeof DeclareArtifactBody>

export const ArtifactId = z.object({ id: z.uuid() })

export const CreateArtifactDownloadUrlInput = z.object({
  id: z.uuid(),
  ttlSeconds: z.number().int().min(1).optional(),
})

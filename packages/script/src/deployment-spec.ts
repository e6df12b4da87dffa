// The deployment spec as users send it, and the one mapping from it to the bootstrap spec.
// Server (create, previewScript) and clients (live preview) both go through
// `buildDeploymentScript`, so a preview's sha256 equals what the server stores.
import { PROVIDERS, type ProviderName } from '@podlaunch/contract'
import { z } from 'zod'
import { buildBootstrapScript } from './build-script.ts'
import { ArtifactsSchema, BootstrapSpecSchema, DatasetFilenameSchema, DEFAULT_ARTIFACT_PATHS, LIMITS } from './schema.ts'
import { sha256Hex } from './sha256.ts'

/** RunPod GPU type ids change; any id of this shape is accepted, the list is a hint for forms. */
export const KNOWN_GPU_TYPES = [
  'NVIDIA GeForce RTX 4090',
  'NVIDIA GeForce RTX 5090',
  'NVIDIA GeForce RTX 3090',
  'NVIDIA RTX A4000',
  'NVIDIA RTX A5000',
  'NVIDIA RTX A6000',
  'NVIDIA A40',
  'NVIDIA L4',
  'NVIDIA L40S',
  'NVIDIA RTX 4000 Ada Generation',
  'NVIDIA RTX 6000 Ada Generation',
  'NVIDIA A100 80GB PCIe',
  'NVIDIA A100-SXM4-80GB',
  'NVIDIA H100 PCIe',
  'NVIDIA H100 80GB HBM3',
  'NVIDIA H100 NVL',
  'NVIDIA H200',
  'NVIDIA B200',
] as const

export const GpuTypeIdSchema = z
  .string()
  .min(1, { error: 'GPU type ids must not be empty' })
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._\-/()]*$/, { error: 'GPU type ids are names like "NVIDIA GeForce RTX 4090"' })

const bootstrapFields = BootstrapSpecSchema.pick({ trainCommand: true, files: true, env: true })

export const DeploymentSpecSchema = bootstrapFields.extend({
  name: z.string().trim().min(1, { error: 'name must not be empty' }).max(100),
  datasetId: z.uuid({ error: 'datasetId must be a dataset id' }),
  provider: z.enum(PROVIDERS).optional(),
  gpu: z.object({
    types: z
      .array(GpuTypeIdSchema)
      .min(1, { error: 'gpu.types must list at least one GPU type' })
      .max(10, { error: 'gpu.types may list at most 10 candidates' })
      .refine((types) => new Set(types).size === types.length, { error: 'gpu.types must not repeat a type' }),
    count: z.number().int().min(1).max(8).default(1),
  }),
  image: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .regex(/^[^\s'"\\]+$/, { error: 'image must be an image reference without spaces or quotes' })
    .optional(),
  cloud: z.enum(['SECURE', 'COMMUNITY']).optional(),
  diskGb: z.number().int().min(1).max(4000).optional(),
  keepAliveSeconds: z.number().int().min(0).max(LIMITS.keepAliveSeconds).optional(),
  maxRuntimeSeconds: z.number().int().min(1).max(LIMITS.maxRuntimeSeconds).optional(),
  maxCostUsd: z.number().positive().max(1_000_000).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** Default: `{paths: ["output"]}`; `{paths: []}` turns the artifact phase off. */
  artifacts: ArtifactsSchema.optional(),
})

export type DeploymentSpec = z.output<typeof DeploymentSpecSchema>
export type DeploymentSpecInput = z.input<typeof DeploymentSpecSchema>

/** Server-side settings that shape the script; the server publishes them for previews. */
export interface ScriptDefaults {
  defaultProvider: ProviderName
  defaultImage: string
  keepAliveSeconds: number
  maxRuntimeSeconds: number
  maxRuntimeCapSeconds: number
  heartbeatSeconds: number
  shipIntervalSeconds: number
}

export interface ResolvedDeployment {
  provider: ProviderName
  image: string
  keepAliveSeconds: number
  maxRuntimeSeconds: number
  script: string
  sha256: string
}

/**
 * Resolves defaults and builds the exact script a deployment runs. Local pods are plain
 * processes, so their script exits when done; RunPod pods wait for termination instead.
 */
export async function buildDeploymentScript(
  spec: DeploymentSpec,
  context: { datasetFilename: string; defaults: ScriptDefaults },
): Promise<ResolvedDeployment> {
  const { defaults } = context
  const provider = spec.provider ?? defaults.defaultProvider
  const maxRuntimeSeconds = spec.maxRuntimeSeconds ?? defaults.maxRuntimeSeconds
  if (maxRuntimeSeconds > defaults.maxRuntimeCapSeconds) {
    throw new RangeError(`maxRuntimeSeconds must be at most ${defaults.maxRuntimeCapSeconds} on this server`)
  }
  const keepAliveSeconds = spec.keepAliveSeconds ?? defaults.keepAliveSeconds
  const script = buildBootstrapScript({
    trainCommand: spec.trainCommand,
    files: spec.files,
    env: spec.env,
    datasetFilename: podDatasetFilename(context.datasetFilename),
    keepAliveSeconds,
    heartbeatSeconds: defaults.heartbeatSeconds,
    shipIntervalSeconds: defaults.shipIntervalSeconds,
    maxRuntimeSeconds,
    onFinish: provider === 'local' ? 'exit' : 'wait',
    artifacts: { paths: spec.artifacts?.paths ?? [...DEFAULT_ARTIFACT_PATHS] },
  })
  return {
    provider,
    image: spec.image ?? defaults.defaultImage,
    keepAliveSeconds,
    maxRuntimeSeconds,
    script,
    sha256: await sha256Hex(script),
  }
}

/** The name the dataset gets in the pod's work directory: its own name when that is safe there. */
export function podDatasetFilename(original: string): string {
  return DatasetFilenameSchema.safeParse(original).success ? original : 'dataset'
}

import { checkCreatePodSchema } from './openapi-schema.ts'
import { CAPACITY_WORDINGS } from './problem.ts'

/** A create body that passed the schema (the fields the simulator reads). */
export interface CreatePodBody {
  name: string
  image?: string
  templateId?: string
  args?: string
  disk?: number
  env?: Record<string, string>
  ports?: string[]
  registry?: string | null
  cloud?: 'SECURE' | 'COMMUNITY'
  dataCenterIds?: string[]
  globalNetworking?: boolean
  gpu?: { id: string; count?: number; allowedCudaVersions?: string[]; minCudaVersion?: string }
  cpu?: { id: string; vcpuCount: number }
  mounts?: {
    persistent?: { size: number; path: string }
    network?: { volumeId: string; path: string }[]
  }
  startSsh?: boolean
  startJupyter?: boolean
}

export type CreatePodCheck =
  { valid: true; body: CreatePodBody; errors: [] } | { valid: false; status: 400 | 422; detail: string; errors: string[] }

/**
 * The whole create contract as the simulator enforces it: RunPod's OpenAPI schema (422, with
 * `errors`), then the handler-level rules the document describes in prose (400), then the
 * real API's quirk that a body without `gpu.count` fails with a capacity message (400).
 * Provider tests can assert `validateCreatePodBody(sent).valid` for what they send.
 */
export function validateCreatePodBody(body: unknown): CreatePodCheck {
  const schema = checkCreatePodSchema(body)
  if (!schema.valid) {
    return { valid: false, status: 422, detail: 'Request validation failed.', errors: schema.errors }
  }
  const pod = body as CreatePodBody
  const rule = crossFieldRule(pod)
  if (rule !== undefined) return { valid: false, status: 400, detail: rule, errors: [] }
  if (pod.gpu !== undefined && pod.gpu.count === undefined) {
    // The schema defaults count to 1, but the real API refuses such a body with this wording.
    return { valid: false, status: 400, detail: CAPACITY_WORDINGS[0], errors: [] }
  }
  return { valid: true, body: pod, errors: [] }
}

function crossFieldRule(pod: CreatePodBody): string | undefined {
  if ((pod.gpu === undefined) === (pod.cpu === undefined)) {
    return 'Exactly one of gpu or cpu must be set.'
  }
  if (pod.gpu?.minCudaVersion !== undefined && (pod.gpu.allowedCudaVersions?.length ?? 0) > 0) {
    return 'gpu.allowedCudaVersions and gpu.minCudaVersion are mutually exclusive.'
  }
  if (pod.mounts?.persistent !== undefined && pod.mounts.network !== undefined) {
    return 'mounts.persistent and mounts.network are mutually exclusive.'
  }
  if (pod.cpu !== undefined && pod.mounts?.persistent !== undefined) {
    return 'mounts.persistent is not supported on CPU pods.'
  }
  if (pod.cpu !== undefined && !isPowerOfTwo(pod.cpu.vcpuCount)) {
    return 'cpu.vcpuCount must be a power of two.'
  }
  return undefined
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0
}

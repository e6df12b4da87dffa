import { z } from 'zod'
import type { ProviderPod, ProviderPodStatus } from './types.ts'

/** The capacity wordings RunPod answers with a 400 (RUNPOD.md); each means "try the next GPU". */
const CAPACITY_PATTERN = /no longer any instances available|does not have the resources|not enough free gpus/i

export function isCapacityAnswer(status: number, detail: string): boolean {
  return status === 400 && CAPACITY_PATTERN.test(detail)
}

const STATUSES: Record<string, ProviderPodStatus> = {
  PROVISIONING: 'provisioning',
  STARTING: 'starting',
  RUNNING: 'running',
  EXITED: 'exited',
  ERROR: 'error',
  TERMINATED: 'terminated',
}

const PodSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: z.string(),
  cost: z.number().nullish(),
  gpu: z.object({ id: z.string() }).nullish(),
})

/** A RunPod pod as a ProviderPod; undefined when the answer is not a pod. */
export function toProviderPod(value: unknown): ProviderPod | undefined {
  const parsed = PodSchema.safeParse(value)
  if (!parsed.success) return undefined
  const pod = parsed.data
  return {
    podId: pod.id,
    name: pod.name,
    // A status RunPod adds later reads as provisioning: the provisioning timeout bounds it,
    // where reading it as error would terminate a pod that may be fine.
    status: STATUSES[pod.status] ?? 'provisioning',
    gpuType: pod.gpu?.id ?? null,
    costPerHr: pod.cost ?? null,
  }
}

/** `GET /v2/pods` answers `{pods: […]}`; a bare array is tolerated too. */
export function podsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value
  if (value !== null && typeof value === 'object' && Array.isArray((value as { pods?: unknown }).pods)) {
    return (value as { pods: unknown[] }).pods
  }
  return undefined
}

/** RunPod's problem `detail` (or whatever explains the answer), short enough for a message. */
export function detailOf(status: number, json: unknown, text: string): string {
  const problem = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {}
  const parts: string[] = []
  if (typeof problem['detail'] === 'string') parts.push(problem['detail'])
  else if (typeof problem['title'] === 'string') parts.push(problem['title'])
  else if (text.trim() !== '') parts.push(text.trim())
  else parts.push(`HTTP ${status}`)
  const errors = problem['errors']
  if (Array.isArray(errors) && errors.length > 0) parts.push(`(${errors.filter((e) => typeof e === 'string').join('; ')})`)
  const detail = parts.join(' ')
  return detail.length > 500 ? `${detail.slice(0, 500)}…` : detail
}

/** Removes secrets (key, env values, the encoded script) from text bound for errors and logs. */
export function createRedactor(secrets: Iterable<string>): (text: string) => string {
  // Short values would shred ordinary words; secrets (tokens, URLs, keys) are long.
  const list = [...new Set(secrets)].filter((secret) => secret.length >= 6).sort((a, b) => b.length - a.length)
  return (text) => list.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text)
}

import type { ProviderName } from '@podlaunch/contract'
import { DeploymentSpecSchema, type DeploymentSpec, type DeploymentSpecInput } from '@podlaunch/script'

/** What the form holds: text as typed, so half-typed numbers stay visible and get errors. */
export interface SpecFormState {
  name: string
  datasetId: string
  provider: ProviderName | ''
  gpuTypes: string[]
  gpuCount: string
  image: string
  trainCommand: string
  env: { key: string; value: string }[]
  keepAliveSeconds: string
  maxRuntimeSeconds: string
  maxCostUsd: string
}

export const EMPTY_FORM: SpecFormState = {
  name: '',
  datasetId: '',
  provider: '',
  gpuTypes: ['NVIDIA GeForce RTX 4090'],
  gpuCount: '1',
  image: '',
  trainCommand: '',
  env: [],
  keepAliveSeconds: '',
  maxRuntimeSeconds: '',
  maxCostUsd: '',
}

export type FieldErrors = Record<string, string[]>

export type Validation =
  { ok: true; input: DeploymentSpecInput; spec: DeploymentSpec } | { ok: false; input: DeploymentSpecInput; errors: FieldErrors }

/** Blank means "server default"; anything typed goes through as a number (NaN gets zod's error). */
function optionalNumber(text: string): number | undefined {
  const trimmed = text.trim()
  return trimmed === '' ? undefined : Number(trimmed)
}

/**
 * The spec the form describes, in the shape `deployments.create` accepts. Blank optional
 * fields are left out rather than sent empty, so the server's defaults apply.
 */
export function formToSpecInput(form: SpecFormState): DeploymentSpecInput {
  const env: Record<string, string> = {}
  for (const row of form.env) {
    if (row.key.trim() === '' && row.value === '') continue
    env[row.key.trim()] = row.value
  }
  const keepAliveSeconds = optionalNumber(form.keepAliveSeconds)
  const maxRuntimeSeconds = optionalNumber(form.maxRuntimeSeconds)
  const maxCostUsd = optionalNumber(form.maxCostUsd)
  return {
    name: form.name,
    datasetId: form.datasetId,
    ...(form.provider ? { provider: form.provider } : {}),
    gpu: { types: form.gpuTypes.map((type) => type.trim()), count: optionalNumber(form.gpuCount) ?? 1 },
    ...(form.image.trim() ? { image: form.image.trim() } : {}),
    trainCommand: form.trainCommand,
    ...(Object.keys(env).length ? { env } : {}),
    ...(keepAliveSeconds !== undefined ? { keepAliveSeconds } : {}),
    ...(maxRuntimeSeconds !== undefined ? { maxRuntimeSeconds } : {}),
    ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
  }
}

/** Env rows the record would silently merge: each repeated name is an error of its own. */
function duplicateEnvKeys(form: SpecFormState): string[] {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const row of form.env) {
    const key = row.key.trim()
    if (!key) continue
    if (seen.has(key)) repeated.add(key)
    seen.add(key)
  }
  return [...repeated]
}

/** Validates with the same zod schema the server uses; errors keyed by field path ("gpu.types"). */
export function validateSpecForm(form: SpecFormState): Validation {
  const input = formToSpecInput(form)
  const errors: FieldErrors = {}
  const add = (key: string, message: string) => {
    const list = (errors[key] ??= [])
    if (!list.includes(message)) list.push(message)
  }
  for (const key of duplicateEnvKeys(form)) add('env', `env name ${key} is listed twice`)
  for (const row of form.env) if (!row.key.trim() && row.value) add('env', 'every env value needs a name')
  const parsed = DeploymentSpecSchema.safeParse(input)
  if (!parsed.success) for (const issue of parsed.error.issues) add(fieldKey(issue.path), issue.message)
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input, spec: parsed.data }
  return { ok: false, input, errors }
}

/** Issues on nested paths land on the field the form shows: gpu.types.2 → gpu.types, env.FOO → env. */
export function fieldKey(path: readonly PropertyKey[]): string {
  const [head, second] = path
  if (head === 'gpu' && typeof second === 'string') return `gpu.${second}`
  return head === undefined ? 'form' : String(head)
}

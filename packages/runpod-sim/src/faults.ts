import { CAPACITY_WORDINGS, ProblemError, problem } from './problem.ts'
import type { FaultPlan } from './types.ts'

export function createFaultPlan(initial: Partial<FaultPlan> = {}): FaultPlan {
  return {
    noCapacity: [...(initial.noCapacity ?? [])],
    rateLimit: initial.rateLimit ? { ...initial.rateLimit } : null,
    serverErrors: initial.serverErrors ?? 0,
    latencyMs: initial.latencyMs ?? 0,
    forbiddenGpus: [...(initial.forbiddenGpus ?? [])],
    insufficientBalance: initial.insufficientBalance ?? false,
  }
}

/** Seconds the caller must wait if this request is rate limited (uses up one count). */
export function takeRateLimit(plan: FaultPlan): number | undefined {
  const limit = plan.rateLimit
  if (limit === null || limit.count <= 0) return undefined
  limit.count -= 1
  return limit.retryAfterSeconds
}

/** Throws the 500 of a planned server error (uses up one). */
export function takeServerError(plan: FaultPlan): void {
  if (plan.serverErrors <= 0) return
  plan.serverErrors -= 1
  throw new ProblemError(problem(500, 'Something went wrong.'))
}

/** Faults that only a create meets, checked after the body passed validation. */
export function checkCreateFaults(plan: FaultPlan, gpuId: string | undefined, rotation: { next: number }): void {
  if (plan.insufficientBalance) {
    throw new ProblemError(problem(402, 'Insufficient balance. Add funds to your account to deploy this pod.'))
  }
  if (gpuId === undefined) return
  if (plan.forbiddenGpus.includes(gpuId)) throw new ProblemError(problem(403, 'access denied'))
  if (plan.noCapacity.includes(gpuId)) {
    const detail = CAPACITY_WORDINGS[rotation.next % CAPACITY_WORDINGS.length] ?? CAPACITY_WORDINGS[0]
    rotation.next += 1
    throw new ProblemError(problem(400, detail))
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
}

/** Applies a `POST /_sim/faults` body to the live plan; returns what was wrong, if anything. */
export function patchFaultPlan(plan: FaultPlan, patch: unknown): string[] {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return ['$: must be an object']
  const input = patch as Record<string, unknown>
  const errors: string[] = []
  const next = createFaultPlan(plan)
  for (const [key, value] of Object.entries(input)) {
    if (key === 'noCapacity' || key === 'forbiddenGpus') {
      if (isStringArray(value)) next[key] = [...value]
      else errors.push(`$.${key}: must be an array of strings`)
    } else if (key === 'serverErrors' || key === 'latencyMs') {
      if (isCount(value)) next[key] = value
      else errors.push(`$.${key}: must be a non-negative integer`)
    } else if (key === 'insufficientBalance') {
      if (typeof value === 'boolean') next.insufficientBalance = value
      else errors.push(`$.${key}: must be a boolean`)
    } else if (key === 'rateLimit') {
      const limit = value as Record<string, unknown> | null
      if (limit === null) next.rateLimit = null
      else if (typeof limit === 'object' && isCount(limit['count']) && isCount(limit['retryAfterSeconds'])) {
        next.rateLimit = { count: limit['count'], retryAfterSeconds: limit['retryAfterSeconds'] }
      } else errors.push(`$.rateLimit: must be null or {count, retryAfterSeconds}`)
    } else {
      errors.push(`$: additional properties '${key}' not allowed`)
    }
  }
  if (errors.length === 0) Object.assign(plan, next)
  return errors
}

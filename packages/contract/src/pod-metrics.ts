import { POD_BATCH_LIMITS } from './pod-limits.ts'

export interface MetricPoint {
  name: string
  step: number
  value: number
}

/**
 * A metrics-file line: a JSON object with an integer `step` and numeric values, each of which
 * becomes one metric. Anything else is refused with the reason (the whole batch is refused).
 */
export function parseMetricLine(line: string): MetricPoint[] | string {
  let record: unknown
  try {
    record = JSON.parse(line)
  } catch {
    return 'a metric line is not valid JSON (NaN and Infinity are not JSON)'
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return 'a metric line must be a JSON object'
  const { step, ...values } = record as Record<string, unknown>
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) return 'a metric line needs a whole, non-negative step'
  const points: MetricPoint[] = []
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'number') continue // labels such as "epoch_name" are not metrics
    if (!Number.isFinite(value)) return `metric ${name} is not a finite number`
    if (name.length > POD_BATCH_LIMITS.metricNameLength)
      return `metric names must be at most ${POD_BATCH_LIMITS.metricNameLength} characters`
    points.push({ name, step, value })
  }
  return points
}

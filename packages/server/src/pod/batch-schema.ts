import { z } from 'zod'

// Limits of one pod callback batch (the pod protocol, docs/pod-protocol.md).
export const POD_BATCH_LIMITS = {
  bytes: 1024 * 1024,
  events: 1000,
  logLineBytes: 8 * 1024,
  metricLineBytes: 8 * 1024,
  messageBytes: 4 * 1024,
  logTailBytes: 64 * 1024,
} as const

const utf8Max = (max: number, what: string) =>
  z.string().refine((value) => Buffer.byteLength(value) <= max, { error: `${what} must be at most ${max} bytes` })

const At = z.iso.datetime({ offset: true, error: 'at must be an ISO-8601 time' })
const SmallObject = z.record(z.string(), z.unknown()).refine((value) => JSON.stringify(value).length <= 16 * 1024, {
  error: 'data must be at most 16 KiB of JSON',
})

export const POD_STATUSES = ['starting', 'downloading', 'training', 'succeeded', 'failed'] as const
export const POD_FAILURE_REASONS = ['setup_failed', 'download_failed', 'checksum_mismatch', 'training_failed'] as const

const StatusEvent = z.object({
  type: z.literal('status'),
  at: At,
  status: z.enum(POD_STATUSES),
  reason: z.enum(POD_FAILURE_REASONS).optional(),
  message: utf8Max(POD_BATCH_LIMITS.messageBytes, 'message').optional(),
  exitCode: z.number().int().optional(),
  logTail: utf8Max(POD_BATCH_LIMITS.logTailBytes, 'logTail').optional(),
  data: SmallObject.optional(),
})
const LogEvent = z.object({ type: z.literal('log'), at: At, line: utf8Max(POD_BATCH_LIMITS.logLineBytes, 'a log line') })
const MetricEvent = z.object({ type: z.literal('metric'), at: At, line: utf8Max(POD_BATCH_LIMITS.metricLineBytes, 'a metric line') })
const HeartbeatEvent = z.object({ type: z.literal('heartbeat'), at: At })
const TerminateRequestEvent = z.object({ type: z.literal('terminate_request'), at: At, reason: z.string().max(200).optional() })
const ReportEvent = z.object({
  type: z.literal('report'),
  at: At,
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { error: 'kind must be a lower_snake_case word' }),
  message: utf8Max(POD_BATCH_LIMITS.messageBytes, 'message').optional(),
  data: SmallObject.optional(),
})

export const PodEventSchema = z.discriminatedUnion('type', [StatusEvent, LogEvent, MetricEvent, HeartbeatEvent, TerminateRequestEvent, ReportEvent])
export type PodEvent = z.infer<typeof PodEventSchema>

export const PodBatchSchema = z.object({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  deploymentId: z.uuid().optional(),
  events: z.array(PodEventSchema).max(POD_BATCH_LIMITS.events, { error: `a batch holds at most ${POD_BATCH_LIMITS.events} events` }),
})
export type PodBatch = z.infer<typeof PodBatchSchema>

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
    if (name.length > 100) return 'metric names must be at most 100 characters'
    points.push({ name, step, value })
  }
  return points
}

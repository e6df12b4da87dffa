import { z } from 'zod'
import { ReportKindSchema } from './events.ts'
import type { DeploymentStatus, FailureReason } from './lifecycle.ts'
import { POD_BATCH_LIMITS } from './pod-limits.ts'
import { utf8Bytes } from './utf8.ts'

// One pod callback batch (POST /v1/pod/events, docs/pod-protocol.md): the server parses every
// body with PodBatchSchema, and the bootstrap script's tests check what it sends against it.

/** The statuses a pod may report; the rest are the server's (pending, provisioning, cancelled). */
export const POD_STATUSES = ['starting', 'downloading', 'training', 'succeeded', 'failed'] as const satisfies readonly DeploymentStatus[]
export type PodStatus = (typeof POD_STATUSES)[number]

/** The failure reasons a pod may give; the others are what the server and reconciler find. */
export const POD_FAILURE_REASONS = [
  'setup_failed',
  'download_failed',
  'checksum_mismatch',
  'training_failed',
] as const satisfies readonly FailureReason[]
export type PodFailureReason = (typeof POD_FAILURE_REASONS)[number]

const utf8Max = (max: number, what: string) =>
  z.string().refine((value) => utf8Bytes(value) <= max, { error: `${what} must be at most ${max} bytes` })

const At = z.iso.datetime({ offset: true, error: 'at must be an ISO-8601 time' })
const SmallObject = z.record(z.string(), z.unknown()).refine((value) => JSON.stringify(value).length <= POD_BATCH_LIMITS.dataJsonLength, {
  error: `data must be at most ${POD_BATCH_LIMITS.dataJsonLength / 1024} KiB of JSON`,
})

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
const TerminateRequestEvent = z.object({
  type: z.literal('terminate_request'),
  at: At,
  reason: z.string().max(POD_BATCH_LIMITS.terminateReasonLength).optional(),
})
const ReportEvent = z.object({
  type: z.literal('report'),
  at: At,
  kind: ReportKindSchema,
  message: utf8Max(POD_BATCH_LIMITS.messageBytes, 'message').optional(),
  data: SmallObject.optional(),
})

export const PodEventSchema = z.discriminatedUnion('type', [
  StatusEvent,
  LogEvent,
  MetricEvent,
  HeartbeatEvent,
  TerminateRequestEvent,
  ReportEvent,
])
export type PodEvent = z.infer<typeof PodEventSchema>

export const PodBatchSchema = z.object({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  deploymentId: z.uuid().optional(),
  events: z.array(PodEventSchema).max(POD_BATCH_LIMITS.events, { error: `a batch holds at most ${POD_BATCH_LIMITS.events} events` }),
})
export type PodBatch = z.infer<typeof PodBatchSchema>

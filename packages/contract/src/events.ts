import { z } from 'zod'

// The kinds of a deployment's timeline (deployment_events.kind). The server writes its own
// kinds; a pod adds `report` events whose kind it chooses, so it may never pick one of these.

/** Kinds only the server writes. */
export const SERVER_EVENT_KINDS = [
  /** The deployment row was inserted (status pending). */
  'created',
  /** A status change through the state machine; the event carries the new status. */
  'status',
  /** The reconciler found the pod of a lost create call by its name and took it over. */
  'adopted',
  /** The reconciler terminated a pod no live deployment owns. */
  'orphan',
  /** The pod asked to be terminated (its `terminate_request` event). */
  'terminate_request',
  /** The provider refused a termination; the reconciler retries it. */
  'terminate_failed',
  /** The provider confirmed the pod is gone. */
  'pod_terminated',
  /** An artifact upload was verified and stored. */
  'artifact_stored',
  /** An artifact upload failed verification (size or sha256). */
  'artifact_rejected',
] as const
export type ServerEventKind = (typeof SERVER_EVENT_KINDS)[number]

export function isServerEventKind(kind: string): kind is ServerEventKind {
  return (SERVER_EVENT_KINDS as readonly string[]).includes(kind)
}

/** The `report` kinds the generated bootstrap script sends (a test reads them from the bash). */
export const POD_REPORT_KINDS = [
  'download_complete',
  'artifacts_uploaded',
  'artifacts_skipped',
  'artifact_upload_failed',
  'restarted_after_finish',
] as const
export type PodReportKind = (typeof POD_REPORT_KINDS)[number]

/**
 * A pod's report kind: any lower_snake_case word but a server kind (a script built by another
 * version may know more kinds than POD_REPORT_KINDS; refusing them would drop the whole batch).
 * Branded, so only a parsed kind can be written as a timeline event beside the server's own.
 */
export const ReportKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, { error: 'kind must be a lower_snake_case word' })
  .refine((kind) => !isServerEventKind(kind), { error: 'kind names an event only the server writes' })
  .brand<'ReportKind'>()
export type ReportKind = z.infer<typeof ReportKindSchema>

/** What deployment_events.kind may hold. */
export type DeploymentEventKind = ServerEventKind | ReportKind

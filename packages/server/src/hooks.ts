/**
 * Points where a test steps into the server's work, e.g. to kill the process between two steps
 * of a create (crash-recovery tests). Test wiring sets them; product wiring sets none.
 */
export interface ServerHooks {
  /** After the provider created the pod and before the database recorded it. */
  afterPodCreated?: (created: { deploymentId: string; podId: string }) => void | Promise<void>
}

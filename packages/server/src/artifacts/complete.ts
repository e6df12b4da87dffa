import type { Artifact } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import type { AppError } from '../errors.ts'
import { appendEvent } from '../events/append.ts'
import { terminateIfArtifactsComplete } from '../lifecycle/teardown.ts'
import type { ArtifactStore } from './store.ts'

type Deps = Pick<ServerDeps, 'db' | 'clock' | 'logger' | 'providers' | 'revocations' | 'config'>

/** Moves the verified bytes to their final place, marks the artifact complete and records it. */
export async function completeArtifact(deps: Deps, store: ArtifactStore, row: Artifact): Promise<Artifact | undefined> {
  await store.commit(row.storage_key)
  const now = deps.clock()
  const done = await deps.db
    .updateTable('artifacts')
    .set({ status: 'complete', received_bytes: row.size_bytes, completed_at: now, updated_at: now, failure_code: null })
    .where('id', '=', row.id)
    .where('status', '=', 'uploading')
    .returningAll()
    .executeTakeFirst()
  if (!done) {
    // The deployment (and with it the row) went away while the last bytes arrived.
    await store.remove(row.storage_key)
    return undefined
  }
  await appendEvent(deps.db, row.deployment_id, {
    kind: 'artifact_stored',
    message: `artifact ${row.name} stored and verified (${Number(row.size_bytes)} bytes)`,
    data: { artifactId: row.id, name: row.name, bytes: Number(row.size_bytes), sha256: row.sha256 },
    at: now,
  })
  return done
}

/** Refuses an upload for good: the partial bytes go, the row says why; nothing is complete. */
export async function failArtifact(deps: Deps, store: ArtifactStore, row: Artifact, refusal: AppError): Promise<void> {
  const { code, message } = refusal
  await store.discardPartial(row.storage_key)
  const now = deps.clock()
  await deps.db
    .updateTable('artifacts')
    .set({ status: 'failed', failure_code: code, received_bytes: 0, updated_at: now })
    .where('id', '=', row.id)
    .where('status', '=', 'uploading')
    .execute()
  await appendEvent(deps.db, row.deployment_id, {
    kind: 'artifact_rejected',
    message: `artifact ${row.name} refused: ${message}`,
    data: { artifactId: row.id, name: row.name, code },
    at: now,
  })
}

/**
 * After the grace the pod had to send its own `artifacts_uploaded` report with its
 * termination request, the server terminates it itself if it is still up.
 */
export function scheduleArtifactTeardown(deps: Deps, deploymentId: string): void {
  const run = () =>
    terminateIfArtifactsComplete(deps, deploymentId).catch((error: unknown) =>
      deps.logger.error({ err: error, deploymentId }, 'terminating after artifacts were stored failed'),
    )
  const timer = setTimeout(run, deps.config.artifactTeardownGraceMs)
  timer.unref()
}

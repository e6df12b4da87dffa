// Shared by the deployment tests: a tiny real trainer and waiting on real state.
import type { Kysely } from 'kysely'
import type { Database, Deployment } from '@podlaunch/db'
import type { DeploymentStatus } from '@podlaunch/contract'

/** A real trainer: reads the dataset, appends metrics JSONL, prints a line per step. */
export const TRAINER_PY = `
import json, os, sys
rows = open(os.environ["PODLAUNCH_DATASET_PATH"]).read().splitlines()
with open(os.environ["PODLAUNCH_METRICS_FILE"], "a") as metrics:
    for step in range(1, 4):
        loss = 1.0 / (step * max(1, len(rows)))
        metrics.write(json.dumps({"step": step, "loss": loss}) + "\\n")
        metrics.flush()
        print(f"step {step} loss {loss:.4f}", flush=True)
`

export function trainerFiles() {
  return [{ path: 'train.py', content: TRAINER_PY, mode: '0644' }]
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export async function waitForStatus(
  db: Kysely<Database>,
  id: string,
  statuses: DeploymentStatus[],
  timeoutMs = 30_000,
): Promise<Deployment> {
  return waitFor(
    async () => {
      const row = await db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst()
      return row && statuses.includes(row.status) ? row : undefined
    },
    timeoutMs,
    `deployment ${id} to reach ${statuses.join('|')}`,
  )
}

export async function waitForPodTerminated(db: Kysely<Database>, id: string, timeoutMs = 30_000): Promise<Deployment> {
  return waitFor(
    async () => {
      const row = await db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst()
      return row?.pod_terminated_at ? row : undefined
    },
    timeoutMs,
    `deployment ${id}'s pod to be terminated`,
  )
}

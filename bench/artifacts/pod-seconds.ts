// One real deployment on the local provider (generated script, tar | zstd, curl upload): how
// long from `succeeded` to the pod terminated, against the one-hour keep-alive it would get
// without artifacts.
import { appRouter, createCallerFactory, createInnerContext } from '@podlaunch/server'
import { createReadyDataset, startLocalPodServer } from '@podlaunch/server/testing'

export async function measurePodSeconds(): Promise<{ seconds: number; artifactBytes: number }> {
  const server = await startLocalPodServer()
  try {
    const user = await server.user('bench')
    const dataset = await createReadyDataset(server.deps, user.id, 'a,b\n1,2\n', 'train.csv')
    const caller = createCallerFactory(appRouter)(
      createInnerContext(server.deps, { id: user.id, name: 'bench', isAdmin: false, apiKeyId: user.apiKeyId }),
    )
    const created = await caller.deployments.create({
      name: 'bench-artifacts',
      datasetId: dataset.id,
      provider: 'local',
      gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
      trainCommand: 'mkdir -p output && head -c 50000000 /dev/urandom >output/model.bin',
      keepAliveSeconds: 3600,
    })
    const deadline = Date.now() + 120_000
    for (;;) {
      const row = await server.database.db.selectFrom('deployments').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
      if (row.status === 'failed' || row.status === 'cancelled')
        throw new Error(`the deployment ${row.status}: ${row.failure_message ?? ''}`)
      if (row.pod_terminated_at && row.finished_at) {
        const [artifact] = await caller.deployments.artifacts({ id: created.id })
        return { seconds: (row.pod_terminated_at.getTime() - row.finished_at.getTime()) / 1000, artifactBytes: artifact?.sizeBytes ?? 0 }
      }
      if (Date.now() > deadline) throw new Error('the deployment did not finish in time')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } finally {
    await server.close()
  }
}

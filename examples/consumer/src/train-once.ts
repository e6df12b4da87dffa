// What an outside app does with the SDK: upload a dataset, deploy it on the local provider, wait
// for the result over the live event stream, and download the trained model.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createClient, PodlaunchError, type DeploymentStatus, type PodlaunchClient } from '@podlaunch/client'

export interface TrainOnceOptions {
  url: string
  apiKey: string
  /** Where the dataset is written and the model downloaded to. */
  workDir: string
}

export interface TrainOnceResult {
  datasetId: string
  deploymentId: string
  status: DeploymentStatus
  statuses: DeploymentStatus[]
  artifact: { id: string; name: string; sizeBytes: number; sha256: string; path: string }
}

// The "training": counts the dataset's rows into output/, which the pod uploads as its artifact.
const TRAIN_COMMAND = 'mkdir -p output && wc -l < "$PODLAUNCH_DATASET_PATH" | tr -d " " > output/rows.txt'

export async function trainOnce(options: TrainOnceOptions): Promise<TrainOnceResult> {
  const client: PodlaunchClient = createClient({ url: options.url, apiKey: options.apiKey })
  const rows = join(options.workDir, 'rows.csv')
  await writeFile(rows, 'x\n1\n2\n3\n')
  const dataset = await client.uploadDataset({ name: 'rows', path: rows })
  const created = await client.deployments.create.mutate({
    name: 'consumer-example',
    datasetId: dataset.id,
    provider: 'local',
    gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
    trainCommand: TRAIN_COMMAND,
    keepAliveSeconds: 0,
  })
  const statuses: DeploymentStatus[] = []
  const done = await client.waitForDeployment(created.id, {
    timeoutMs: 120_000,
    onEvent: (event) => {
      if (event.kind === 'status' && event.status) statuses.push(event.status)
    },
  })
  if (done.status !== 'succeeded') throw new PodlaunchError('CONFLICT', `deployment ${created.id} ended ${done.status}`)
  const model = await storedArtifact(client, created.id, 60_000)
  const path = join(options.workDir, model.name)
  const downloaded = await client.downloadArtifact(model.id, { path })
  return {
    datasetId: dataset.id,
    deploymentId: created.id,
    status: done.status,
    statuses,
    artifact: { id: downloaded.id, name: downloaded.name, sizeBytes: downloaded.sizeBytes, sha256: downloaded.sha256, path },
  }
}

/**
 * The pod reports success first and uploads its output after, so the model is stored a moment
 * after the deployment succeeded.
 */
async function storedArtifact(client: PodlaunchClient, deploymentId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [model] = await client.deployments.artifacts.query({ id: deploymentId })
    if (model?.status === 'complete') return model
    if (model?.status === 'failed' || Date.now() > deadline) {
      throw new PodlaunchError('TIMEOUT', `deployment ${deploymentId} stored no artifact (${model?.status ?? 'none uploaded'})`)
    }
    await sleep(250)
  }
}

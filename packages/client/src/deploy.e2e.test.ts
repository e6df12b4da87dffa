// The SDK end to end: upload a dataset, deploy it on the local provider, wait over SSE.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalPodServer, type LocalPodServer } from '@podlaunch/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  PodlaunchError,
  WaitForDeploymentError,
  WaitTimeoutError,
  type DeploymentEvent,
  type PodlaunchClient,
} from './index.ts'

const TRAINER = [
  'import json, os',
  'rows = open(os.environ["PODLAUNCH_DATASET_PATH"]).read().splitlines()',
  'with open(os.environ["PODLAUNCH_METRICS_FILE"], "a") as m:',
  '    for step in (1, 2, 3):',
  '        m.write(json.dumps({"step": step, "loss": 1.0 / (step * len(rows))}) + "\\n")',
].join('\n')

let server: LocalPodServer
let client: PodlaunchClient
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podlaunch-sdk-'))
  server = await startLocalPodServer()
  client = createClient({ url: server.url, apiKey: (await server.user('sdk')).apiKey })
}, 60_000)

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('deploying with the SDK', () => {
  it('uploads, deploys and waits for success over the live event stream', async () => {
    const path = join(dir, 'rows.csv')
    await writeFile(path, 'x\n1\n2\n3\n')
    const dataset = await client.uploadDataset({ name: 'rows', path })
    const created = await client.deployments.create.mutate({
      name: 'sdk-e2e',
      datasetId: dataset.id,
      gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
      files: [{ path: 'train.py', content: TRAINER }],
      trainCommand: 'python3 train.py',
      keepAliveSeconds: 0,
    })
    const seen: DeploymentEvent[] = []
    const done = await client.waitForDeployment(created.id, { timeoutMs: 60_000, onEvent: (event) => seen.push(event) })
    expect(done.status).toBe('succeeded')
    expect(seen.filter((event) => event.kind === 'status').map((event) => event.status)).toEqual([
      'provisioning',
      'starting',
      'downloading',
      'training',
      'succeeded',
    ])
    // Ids are strictly increasing: the stream replays in order, no duplicates.
    const ids = seen.map((event) => BigInt(event.id))
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true)
    const metrics = await client.deployments.metrics.query({ id: created.id })
    expect(metrics.map((point) => point.step)).toEqual([1, 2, 3])
  }, 90_000)

  it('gives up with a TIMEOUT error when the deployment does not finish in time', async () => {
    const dataset = (await client.datasets.list.query()).items[0]!
    const created = await client.deployments.create.mutate({
      name: 'slow',
      datasetId: dataset.id,
      gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
      trainCommand: 'sleep 60',
    })
    const error = await client.waitForDeployment(created.id, { timeoutMs: 1500 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error).toBeInstanceOf(PodlaunchError)
    expect((error as WaitTimeoutError).code).toBe('TIMEOUT')
    await client.deployments.cancel.mutate({ id: created.id })
  }, 30_000)

  it("fails with the server's code when the deployment is not the caller's", async () => {
    const error = await client.waitForDeployment(crypto.randomUUID(), { timeoutMs: 10_000 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitForDeploymentError)
    expect(error).not.toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitForDeploymentError).code).toBe('NOT_FOUND')
  }, 30_000)
})

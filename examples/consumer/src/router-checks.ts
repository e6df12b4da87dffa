// Compiled, never run: what the router's types must allow and refuse. Each @ts-expect-error line
// is a mistake the types catch; were the client's router type to decay to `any`, the line would
// compile, the directive would be unused, and tsc would fail (the test checks that it does).
import { createClient, type AppRouter, type DeploymentDetail, type DeploymentStatus, type PodlaunchClient } from '@podlaunch/client'

/** true when T is `any`: the one thing a decayed client gives every value. */
type IsAny<T> = 0 extends 1 & T ? true : false

export async function typeChecks(): Promise<void> {
  const client: PodlaunchClient = createClient({ url: 'http://127.0.0.1:3000', apiKey: 'pl_example' })
  const detail: DeploymentDetail = await client.deployments.get.query({ id: 'a-deployment-id' })

  // Outputs are what the server returns, as JSON carries them (dates are ISO strings).
  const status: DeploymentStatus = detail.status
  const created: string = detail.createdAt
  const notAny: [IsAny<typeof detail>, IsAny<AppRouter>, IsAny<typeof client.deployments>] = [false, false, false]
  const me = await client.me.query()
  const admin: boolean = me.isAdmin
  const page = await client.datasets.list.query()
  const sizes: number[] = page.items.map((dataset) => dataset.sizeBytes)
  void [status, created, notAny, admin, sizes]

  // @ts-expect-error: a misspelled procedure
  await client.deployments.lst.query()
  // @ts-expect-error: a wrong input type (the id is a string)
  await client.deployments.get.query({ id: 42 })
  // @ts-expect-error: a missing required input (a deployment needs a dataset, a GPU and a command)
  await client.deployments.create.mutate({ name: 'no-spec' })
  // @ts-expect-error: a wrong output use (status is a word, not a number)
  const steps: number = detail.status
  // @ts-expect-error: an output field that does not exist
  void detail.statusCode
  void steps
}

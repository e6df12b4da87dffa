// POST /v1/pod/events over real HTTP: who may write, what is refused, and that a refusal
// stores nothing (row counts before and after).
import { POD_BATCH_LIMITS } from '@podlaunch/contract'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDownloadUrl } from '../datasets/download-url.ts'
import { waitFor } from '../deployments/test-support.ts'
import { heartbeat, log, metric, postEvents, seedDeployment, status } from '../lifecycle/test-support.ts'
import { createReadyDataset, startTestServer, type TestServer, type TestUser } from '../testing.ts'

let database: TestDatabase
let server: TestServer
let alice: TestUser

beforeAll(async () => {
  database = await createTestDatabase()
  server = await startTestServer(database.db)
  alice = await server.user('alice')
}, 60_000)

afterAll(async () => {
  await server.close()
  await database.close()
})

const TABLES = ['deployment_logs', 'deployment_metrics', 'deployment_events', 'pod_event_batches'] as const

async function counts(deploymentId: string) {
  const result: Record<string, number> = {}
  for (const table of TABLES) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirstOrThrow()
    result[table] = Number(row.n)
  }
  return result
}

describe('POST /v1/pod/events: authentication', () => {
  it('answers 401 without a token and 200 with the pod token', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const none = await postEvents(server.url, undefined, { seq: 1, events: [heartbeat()] })
    expect(none.status).toBe(401)
    expect(none.body.error?.code).toBe('TOKEN_MISSING')
    const ok = await postEvents(server.url, dep.podToken, { seq: 1, events: [heartbeat()] })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ ok: true, duplicate: false })
  })

  it('refuses a download token (403 TOKEN_WRONG_AUDIENCE) and a malformed one (401)', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const dataset = await createReadyDataset(server.deps, alice.id, 'x,y\n')
    const download = await createDownloadUrl(server.deps, { datasetId: dataset.id, deploymentId: dep.id })
    const token = new URL(download.url).searchParams.get('token')!
    const wrong = await postEvents(server.url, token, { seq: 1, events: [log('x')] })
    expect(wrong.status).toBe(403)
    expect(wrong.body.error?.code).toBe('TOKEN_WRONG_AUDIENCE')
    const garbage = await postEvents(server.url, 'not.a.token', { seq: 1, events: [log('x')] })
    expect(garbage.status).toBe(401)
    expect(await counts(dep.id)).toEqual({ deployment_logs: 0, deployment_metrics: 0, deployment_events: 0, pod_event_batches: 0 })
  })

  it('keeps each pod token to its own deployment: naming another is 403 TOKEN_WRONG_DEPLOYMENT', async () => {
    const a = await seedDeployment(server.deps, alice.id)
    const b = await seedDeployment(server.deps, alice.id)
    const cross = await postEvents(server.url, b.podToken, { seq: 1, deploymentId: a.id, events: [log('from b')] })
    expect(cross.status).toBe(403)
    expect(cross.body.error?.code).toBe('TOKEN_WRONG_DEPLOYMENT')
    expect((await counts(a.id)).deployment_logs).toBe(0)
    expect((await counts(b.id)).deployment_logs).toBe(0)

    // B's token without a deploymentId writes to B, never to A.
    const own = await postEvents(server.url, b.podToken, { seq: 1, deploymentId: b.id, events: [log('from b')] })
    expect(own.status).toBe(200)
    const plain = await postEvents(server.url, b.podToken, { seq: 2, events: [log('from b again')] })
    expect(plain.status).toBe(200)
    expect((await counts(a.id)).deployment_logs).toBe(0)
    expect((await counts(b.id)).deployment_logs).toBe(2)
  })

  it('refuses a revoked pod token with 403 TOKEN_REVOKED', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    await server.deps.revocations.revoke(dep.podJti, new Date(Date.now() + 3600_000), 'test')
    const answer = await postEvents(server.url, dep.podToken, { seq: 1, events: [log('late')] })
    expect(answer.status).toBe(403)
    expect(answer.body.error?.code).toBe('TOKEN_REVOKED')
    expect((await counts(dep.id)).pod_event_batches).toBe(0)
  })
})

describe('POST /v1/pod/events: bad input stores nothing', () => {
  const bigLine = 'x'.repeat(POD_BATCH_LIMITS.logLineBytes + 1)
  const cases: [string, (seq: number) => unknown, number, string][] = [
    ['a body over 1 MiB', (seq) => ({ seq, events: Array.from({ length: 200 }, () => log('y'.repeat(6000))) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['more than 1000 events', (seq) => ({ seq, events: Array.from({ length: 1001 }, () => heartbeat()) }), 400, 'BAD_REQUEST'],
    ['a log line over 8 KiB', (seq) => ({ seq, events: [log('ok'), log(bigLine)] }), 400, 'BAD_REQUEST'],
    [
      'an unknown event type',
      (seq) => ({ seq, events: [log('ok'), { type: 'gossip', at: new Date().toISOString() }] }),
      400,
      'BAD_REQUEST',
    ],
    ['a NaN metric', (seq) => ({ seq, events: [log('ok'), metric('{"step":1,"loss":NaN}')] }), 400, 'BAD_REQUEST'],
    ['an infinite metric', (seq) => ({ seq, events: [log('ok'), metric('{"step":1,"loss":1e999}')] }), 400, 'BAD_REQUEST'],
    ['a metric without a step', (seq) => ({ seq, events: [metric('{"loss":0.5}')] }), 400, 'BAD_REQUEST'],
    ['no seq', () => ({ events: [log('ok')] }), 400, 'BAD_REQUEST'],
    ['a bad time', (seq) => ({ seq, events: [{ type: 'log', at: 'yesterday', line: 'x' }] }), 400, 'BAD_REQUEST'],
    ['text that is not JSON', () => '{"seq":1,"events":[', 400, 'BAD_REQUEST'],
    // A pod cannot write the server's own timeline kinds (a forged pod_terminated, say).
    [
      'a report of a kind only the server writes',
      (seq) => ({ seq, events: [log('ok'), { type: 'report', at: new Date().toISOString(), kind: 'pod_terminated' }] }),
      400,
      'BAD_REQUEST',
    ],
  ]

  it.each(cases)('refuses %s', async (_name, body, httpStatus, code) => {
    const dep = await seedDeployment(server.deps, alice.id)
    const before = await counts(dep.id)
    const answer = await postEvents(server.url, dep.podToken, body(1))
    expect(answer.status).toBe(httpStatus)
    expect(answer.body.error?.code).toBe(code)
    expect(await counts(dep.id)).toEqual(before)
    // The seq was not used up: the same seq with a good body is stored.
    const good = await postEvents(server.url, dep.podToken, { seq: 1, events: [log('after refusal')] })
    expect(good.body).toEqual({ ok: true, duplicate: false })
  })

  it('stores a replayed seq once and answers duplicate', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const batch = { seq: 7, events: [log('one'), metric('{"step":1,"loss":0.5}'), status('starting')] }
    const first = await postEvents(server.url, dep.podToken, batch)
    const again = await Promise.all([postEvents(server.url, dep.podToken, batch), postEvents(server.url, dep.podToken, batch)])
    expect(first.body).toEqual({ ok: true, duplicate: false })
    for (const answer of again) expect(answer.body).toEqual({ ok: true, duplicate: true })
    expect(await counts(dep.id)).toEqual({ deployment_logs: 1, deployment_metrics: 1, deployment_events: 1, pod_event_batches: 1 })
  })

  it('refuses an illegal transition with 409 ILLEGAL_TRANSITION and drops the whole batch', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const before = await counts(dep.id)
    // succeeded before training
    const early = await postEvents(server.url, dep.podToken, { seq: 1, events: [log('must not stay'), status('succeeded')] })
    expect(early.status).toBe(409)
    expect(early.body.error?.code).toBe('ILLEGAL_TRANSITION')
    expect(await counts(dep.id)).toEqual(before)

    // a legal move, then a step back inside one batch: nothing of it stays
    const back = await postEvents(server.url, dep.podToken, { seq: 2, events: [status('training'), log('x'), status('downloading')] })
    expect(back.status).toBe(409)
    const row = await database.db.selectFrom('deployments').select('status').where('id', '=', dep.id).executeTakeFirstOrThrow()
    expect(row.status).toBe('provisioning')
    expect(await counts(dep.id)).toEqual(before)

    // anything after a terminal status
    expect((await postEvents(server.url, dep.podToken, { seq: 3, events: [status('training')] })).status).toBe(200)
    // succeeded keeps the pod (and its token) for the keep-alive window
    expect((await postEvents(server.url, dep.podToken, { seq: 4, events: [status('succeeded', { exitCode: 0 })] })).status).toBe(200)
    const mid = await counts(dep.id)
    for (const [seq, next] of [
      [5, 'succeeded'],
      [6, 'training'],
      [7, 'failed'],
    ] as const) {
      const late = await postEvents(server.url, dep.podToken, { seq, events: [log('late line'), status(next)] })
      expect(late.status).toBe(409)
      expect(late.body.error?.code).toBe('ILLEGAL_TRANSITION')
    }
    expect(await counts(dep.id)).toEqual(mid)
    // Final log lines without a status still arrive after the end.
    expect((await postEvents(server.url, dep.podToken, { seq: 8, events: [log('final words')] })).status).toBe(200)
    expect((await counts(dep.id)).deployment_logs).toBe(mid.deployment_logs! + 1)
  })

  it('revokes the pod token once a failed pod is torn down, so later reports are 403', async () => {
    const dep = await seedDeployment(server.deps, alice.id, { status: 'training' })
    const failed = await postEvents(server.url, dep.podToken, {
      seq: 1,
      events: [status('failed', { reason: 'training_failed', exitCode: 2 })],
    })
    expect(failed.status).toBe(200)
    // Teardown runs after the answer; without a pod it confirms at once.
    await waitFor(async () => ((await server.deps.revocations.isRevoked(dep.podJti)) ? true : undefined), 5_000)
    const late = await postEvents(server.url, dep.podToken, { seq: 2, events: [status('succeeded')] })
    expect(late.status).toBe(403)
    expect(late.body.error?.code).toBe('TOKEN_REVOKED')
  })

  it('deduplicates metrics by name and step, across batches and within one', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const first = await postEvents(server.url, dep.podToken, {
      seq: 1,
      events: [metric('{"step":1,"loss":0.9,"acc":0.1}'), metric('{"step":1,"loss":0.8}'), metric('{"step":2,"loss":0.7,"epoch":"a"}')],
    })
    expect(first.status).toBe(200)
    const second = await postEvents(server.url, dep.podToken, {
      seq: 2,
      events: [metric('{"step":2,"loss":0.1}'), metric('{"step":3,"loss":0.6}')],
    })
    expect(second.status).toBe(200)
    const rows = await database.db
      .selectFrom('deployment_metrics')
      .select(['name', 'step', 'value'])
      .where('deployment_id', '=', dep.id)
      .orderBy('name')
      .orderBy('step')
      .execute()
    expect(rows.map((row) => [row.name, Number(row.step), row.value])).toEqual([
      ['acc', 1, 0.1],
      ['loss', 1, 0.9],
      ['loss', 2, 0.7],
      ['loss', 3, 0.6],
    ])
  })

  it('moves the heartbeat on every accepted batch', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    await postEvents(server.url, dep.podToken, { seq: 1, events: [heartbeat()] })
    const row = await database.db.selectFrom('deployments').select('last_heartbeat_at').where('id', '=', dep.id).executeTakeFirstOrThrow()
    expect(row.last_heartbeat_at).not.toBeNull()
  })
})

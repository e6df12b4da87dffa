// deployments.onEvent: replay from lastEventId, live events through the bus, abort ends the
// generator without leaking a listener, and (on real Postgres) events posted to one server
// reach an SSE subscriber on another.
import { createTestDatabase, usingPostgres, type TestDatabase } from '@podlaunch/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateApiKey } from '../auth/authenticate.ts'
import { createInnerContext } from '../context.ts'
import type { EventBus } from '../events/bus.ts'
import { postEvents, seedDeployment, status, log } from '../lifecycle/test-support.ts'
import { startTestServer, type TestServer, type TestUser } from '../testing.ts'
import type { AuthedContext } from '../trpc.ts'
import { streamEvents } from './subscription.ts'

let database: TestDatabase
let server: TestServer
let alice: TestUser
let bob: TestUser

beforeAll(async () => {
  database = await createTestDatabase()
  server = await startTestServer(database.db, { config: { issuer: 'podlaunch-test' } })
  alice = await server.user('alice')
  bob = await server.user('bob')
}, 60_000)

afterAll(async () => {
  await server.close()
  await database.close()
})

/** The server's bus, counting live listeners. */
function countingBus(bus: EventBus) {
  let listeners = 0
  const counted: EventBus = {
    subscribe(listener) {
      listeners += 1
      const unsubscribe = bus.subscribe(listener)
      return () => {
        listeners -= 1
        unsubscribe()
      }
    },
    close: () => bus.close(),
  }
  return { bus: counted, listeners: () => listeners }
}

async function contextFor(user: TestUser, events: EventBus = server.deps.events): Promise<AuthedContext> {
  const authed = await authenticateApiKey(server.deps.db, server.deps.clock, user.apiKey)
  return { ...createInnerContext(server.deps, authed), user: authed!, events }
}

type Yielded = [string, { deploymentId: string; status: string | null; kind: string }]

/** Pulls `count` items, or fails after `timeoutMs`. */
async function take(iterator: AsyncGenerator<unknown>, count: number, timeoutMs = 5_000): Promise<Yielded[]> {
  const items: Yielded[] = []
  const deadline = Date.now() + timeoutMs
  while (items.length < count) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now()))),
    ])
    if (next === 'timeout') throw new Error(`got ${items.length} of ${count} events`)
    if (next.done) break
    items.push(next.value as Yielded)
  }
  return items
}

describe('deployments.onEvent', () => {
  it('replays the events after lastEventId, then streams new ones as they are stored', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    for (const [seq, next] of [
      [1, 'starting'],
      [2, 'downloading'],
      [3, 'training'],
    ] as const) {
      expect((await postEvents(server.url, dep.podToken, { seq, events: [status(next)] })).status).toBe(200)
    }
    const stored = await database.db
      .selectFrom('deployment_events')
      .select(['id', 'status'])
      .where('deployment_id', '=', dep.id)
      .orderBy('id')
      .execute()
    expect(stored.map((row) => row.status)).toEqual(['starting', 'downloading', 'training'])

    const controller = new AbortController()
    const stream = streamEvents({
      ctx: await contextFor(alice),
      input: { id: dep.id, lastEventId: stored[0]!.id },
      signal: controller.signal,
    })
    const replayed = await take(stream, 2)
    expect(replayed.map(([id]) => id)).toEqual([stored[1]!.id, stored[2]!.id])
    expect(replayed.map(([, event]) => event.status)).toEqual(['downloading', 'training'])

    // Live: stored after the subscriber caught up, announced by NOTIFY.
    const pending = take(stream, 1)
    expect((await postEvents(server.url, dep.podToken, { seq: 4, events: [status('succeeded')] })).status).toBe(200)
    const [live] = await pending
    expect(live?.[1]).toMatchObject({ deploymentId: dep.id, kind: 'status', status: 'succeeded' })
    expect(BigInt(live![0])).toBeGreaterThan(BigInt(stored[2]!.id))
    controller.abort()
    await stream.return(undefined)
  })

  it("without an id streams only the caller's new events, never another user's", async () => {
    const mine = await seedDeployment(server.deps, alice.id)
    const theirs = await seedDeployment(server.deps, bob.id)
    await postEvents(server.url, mine.podToken, { seq: 1, events: [status('starting')] }) // before subscribing: not replayed
    const controller = new AbortController()
    const stream = streamEvents({ ctx: await contextFor(alice), input: {}, signal: controller.signal })
    const pending = take(stream, 1)
    await postEvents(server.url, theirs.podToken, { seq: 1, events: [status('starting')] })
    await postEvents(server.url, mine.podToken, { seq: 2, events: [status('training')] })
    const [event] = await pending
    expect(event?.[1]).toMatchObject({ deploymentId: mine.id, status: 'training' })
    controller.abort()
    await stream.return(undefined)
  })

  it('ends when the signal aborts while waiting, and removes its listener', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const counting = countingBus(server.deps.events)
    const controller = new AbortController()
    const stream = streamEvents({ ctx: await contextFor(alice, counting.bus), input: { id: dep.id }, signal: controller.signal })
    const waiting = stream.next() // replays nothing, then waits for a notice
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(counting.listeners()).toBe(1)
    controller.abort()
    const started = Date.now()
    expect(await waiting).toEqual({ done: true, value: undefined })
    expect(Date.now() - started).toBeLessThan(1_000) // not the 15 s re-poll
    expect(counting.listeners()).toBe(0)
  })

  it('removes its listener when the consumer stops pulling (return) and for an already aborted signal', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    await postEvents(server.url, dep.podToken, { seq: 1, events: [status('starting'), log('x')] })
    const counting = countingBus(server.deps.events)
    const stream = streamEvents({ ctx: await contextFor(alice, counting.bus), input: { id: dep.id }, signal: new AbortController().signal })
    expect(await take(stream, 1)).toHaveLength(1)
    expect(counting.listeners()).toBe(1)
    await stream.return(undefined)
    expect(counting.listeners()).toBe(0)

    const aborted = new AbortController()
    aborted.abort()
    const early = streamEvents({ ctx: await contextFor(alice, counting.bus), input: { id: dep.id }, signal: aborted.signal })
    expect((await early.next()).done).toBe(true)
    expect(counting.listeners()).toBe(0)
  })

  it("refuses another user's deployment with NOT_FOUND", async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const stream = streamEvents({ ctx: await contextFor(bob), input: { id: dep.id }, signal: undefined })
    await expect(stream.next()).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

/** Reads a text/event-stream body until `match` accepts a data payload. */
async function readSse(response: Response, match: (data: unknown, id: string | undefined) => boolean, timeoutMs = 10_000) {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const timer = setTimeout(() => void reader.cancel(), timeoutMs)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) throw new Error('the event stream ended before the expected event')
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const lines = block.split('\n')
        const id = lines
          .find((line) => line.startsWith('id:'))
          ?.slice(3)
          .trim()
        const data = lines
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n')
        if (!data) continue
        let parsed: unknown
        try {
          parsed = JSON.parse(data)
        } catch {
          continue
        }
        if (match(parsed, id)) return { data: parsed, id }
      }
    }
  } finally {
    clearTimeout(timer)
    await reader.cancel().catch(() => {})
  }
}

describe.runIf(usingPostgres)('two servers on one Postgres', () => {
  let other: TestServer

  beforeAll(async () => {
    other = await startTestServer(database.connect(), { config: { issuer: 'podlaunch-test' } })
    // Replicas share their signing keys (PODLAUNCH_SIGNING_KEY) and issuer.
    other.deps.keyring = server.deps.keyring
  })

  afterAll(async () => {
    await other.close()
  })

  it('an SSE subscriber on server A sees events a pod posts to server B, and resumes after lastEventId', async () => {
    const dep = await seedDeployment(server.deps, alice.id)
    const url = (input: unknown) => `${server.url}/trpc/deployments.onEvent?input=${encodeURIComponent(JSON.stringify(input))}`
    const headers = { authorization: `Bearer ${alice.apiKey}`, accept: 'text/event-stream' }
    const response = await fetch(url({ id: dep.id }), { headers })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/event-stream')

    setTimeout(() => void postEvents(other.url, dep.podToken, { seq: 1, events: [status('starting')] }), 200)
    const seen = await readSse(response, (data) => JSON.stringify(data).includes('"status":"starting"'))
    expect(seen.id).toBeDefined()
    expect((await postEvents(other.url, dep.podToken, { seq: 2, events: [status('training')] })).status).toBe(200)

    // Reconnecting with the last id seen replays only what came after it.
    const resumed = await fetch(url({ id: dep.id, lastEventId: seen.id }), { headers })
    const next = await readSse(resumed, (_data, id) => id !== undefined)
    expect(JSON.stringify(next.data)).toContain('"status":"training"')
    expect(BigInt(next.id!)).toBeGreaterThan(BigInt(seen.id!))
  })
})

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CAPACITY_WORDINGS } from './problem.ts'
import { startRunpodSim } from './sim.ts'
import { FAST, call, exampleBody, runningPod } from './testing.ts'
import type { RunpodSim } from './types.ts'

const H100 = 'NVIDIA H100 80GB HBM3'

describe('runpod-sim faults', () => {
  let sim: RunpodSim
  beforeEach(async () => {
    sim = await startRunpodSim({ ...FAST, faults: { noCapacity: [H100] } })
  })
  afterEach(async () => {
    await sim.close()
  })

  it('noCapacity answers 400 with the three real wordings in turn, other GPUs still place', async () => {
    const details: string[] = []
    for (let i = 0; i < 4; i += 1) {
      const res = await call(sim, 'POST', '/pods', exampleBody({ gpu: { id: H100, count: 1 } }))
      expect(res.status).toBe(400)
      details.push(res.body.detail)
    }
    expect(details).toEqual([...CAPACITY_WORDINGS, CAPACITY_WORDINGS[0]])
    expect((await call(sim, 'POST', '/pods', exampleBody())).status).toBe(201)
    expect(sim.createRequests).toHaveLength(5)
  })

  it('rateLimit answers the next N requests 429 with Retry-After, then recovers', async () => {
    sim.faults.rateLimit = { count: 2, retryAfterSeconds: 7 }
    for (let i = 0; i < 2; i += 1) {
      const res = await call(sim, 'GET', '/pods')
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('7')
      expect(res.headers.get('ratelimit')).toContain('"minute";r=0;t=7')
      expect(res.body).toMatchObject({ title: 'Too Many Requests', status: 429 })
    }
    expect((await call(sim, 'GET', '/pods')).status).toBe(200)
  })

  it('serverErrors answers the next N requests 500 Something went wrong.', async () => {
    sim.faults.serverErrors = 1
    const res = await call(sim, 'POST', '/pods', exampleBody())
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.body).toEqual({ title: 'Internal Server Error', status: 500, detail: 'Something went wrong.' })
    expect((await call(sim, 'POST', '/pods', exampleBody())).status).toBe(201)
    expect(sim.createRequests).toEqual([exampleBody(), exampleBody()])
  })

  it('latencyMs delays every request', async () => {
    sim.faults.latencyMs = 150
    const started = Date.now()
    expect((await call(sim, 'GET', '/pods')).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('forbiddenGpus answers 403 and insufficientBalance 402', async () => {
    sim.faults.forbiddenGpus = ['NVIDIA GeForce RTX 4090']
    expect((await call(sim, 'POST', '/pods', exampleBody())).status).toBe(403)
    sim.faults.forbiddenGpus = []
    sim.faults.insufficientBalance = true
    const broke = await call(sim, 'POST', '/pods', exampleBody())
    expect(broke.status).toBe(402)
    expect(broke.body.title).toBe('Payment Required')
    expect(sim.pods()).toHaveLength(0)
  })

  it('POST /_sim/faults changes the live plan and rejects unknown keys', async () => {
    const res = await call(sim, 'POST', '/_sim/faults', { serverErrors: 1, forbiddenGpus: ['x'] })
    expect(res.status).toBe(200)
    expect(sim.faults).toMatchObject({ serverErrors: 1, forbiddenGpus: ['x'], noCapacity: [H100] })
    expect((await call(sim, 'POST', '/_sim/faults', { bogus: 1 })).status).toBe(422)
    expect((await call(sim, 'GET', '/pods')).status).toBe(500)
    expect((await call(sim, 'GET', '/_sim/faults', undefined, null)).status).toBe(401)
  })

  it('POST /_sim/pods/{id}/kill and /silence hit a pod over HTTP', async () => {
    const id = await runningPod(sim)
    const dead = await call(sim, 'POST', `/_sim/pods/${id}/kill`, { restart: false })
    expect(dead.body).toMatchObject({ id, status: 'ERROR', running: false })
    expect((await call(sim, 'GET', '/_sim/pods')).body.pods).toHaveLength(1)
    expect((await call(sim, 'POST', '/_sim/pods/nope/silence')).status).toBe(404)
  })
})

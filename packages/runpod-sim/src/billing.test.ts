import { afterEach, describe, expect, it } from 'vitest'
import { startRunpodSim } from './sim.ts'
import { FAST, call, exampleBody, waitFor } from './testing.ts'
import type { RunpodSim } from './types.ts'

describe('runpod-sim billing', () => {
  let sim: RunpodSim | undefined
  afterEach(async () => {
    await sim?.close()
  })

  it('accrues cost on the injected clock from create, pauses while EXITED, stops at terminate', async () => {
    let now = Date.parse('2026-11-28T10:00:00Z')
    sim = await startRunpodSim({ ...FAST, clock: { now: () => now } })
    const created = await call(sim, 'POST', '/pods', exampleBody({ gpu: { id: 'NVIDIA GeForce RTX 4090', count: 2 } }))
    const id = created.body.id as string
    expect(created.body).toMatchObject({ createdAt: '2026-11-28T10:00:00Z', cost: 1.38 })
    await waitFor(() => sim?.pod(id)?.running)
    now += 30 * 60_000
    expect(sim.billing(id)).toEqual({ seconds: 1800, usd: 0.69, pricePerHour: 1.38, terminatedAt: null })
    await call(sim, 'POST', `/pods/${id}/action`, { action: 'stop' })
    now += 60 * 60_000
    expect(sim.billing(id).usd).toBe(0.69)
    await call(sim, 'POST', `/pods/${id}/action`, { action: 'start' })
    now += 30 * 60_000
    expect((await call(sim, 'DELETE', `/pods/${id}`)).status).toBe(204)
    const terminatedAt = now
    now += 5 * 60 * 60_000
    expect(sim.billing(id)).toEqual({ seconds: 3600, usd: 1.38, pricePerHour: 1.38, terminatedAt })
  })

  it('prices unknown GPU ids at the default and lets the table be overridden', async () => {
    sim = await startRunpodSim({ ...FAST, defaultGpuPrice: 2, gpuPrices: { 'NVIDIA L4': 0.4 } })
    const unknown = await call(sim, 'POST', '/pods', exampleBody({ gpu: { id: 'NVIDIA Future GPU', count: 3 } }))
    expect(unknown.body.cost).toBe(6)
    const l4 = await call(sim, 'POST', '/pods', exampleBody({ gpu: { id: 'NVIDIA L4', count: 1 } }))
    expect(l4.body.cost).toBe(0.4)
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startRunpodSim } from './sim.ts'
import { FAST, call, isAlive, runningPod, sleep, waitFor } from './testing.ts'
import type { RunpodSim } from './types.ts'

function lines(path: string): number {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '').length
  } catch {
    return 0
  }
}

describe('runpod-sim pod processes', () => {
  let sim: RunpodSim
  beforeEach(async () => {
    sim = await startRunpodSim(FAST)
  })
  afterEach(async () => {
    const pids = sim
      .pods()
      .map((pod) => pod.pid)
      .filter((pid): pid is number => pid !== null)
    await sim.close()
    for (const pid of pids) expect(isAlive(pid)).toBe(false)
  })

  it('restarts a process that exits; the pod stays RUNNING and keeps billing', async () => {
    const id = await runningPod(sim, { args: 'echo run >> runs.txt; exit 3' })
    const runs = join(sim.pod(id)?.dir ?? '', 'runs.txt')
    await waitFor(() => lines(runs) >= 3, 3000, 'three runs')
    const pod = sim.pod(id)
    expect(pod?.status).toBe('RUNNING')
    expect(pod?.restarts).toBeGreaterThanOrEqual(2)
    expect(pod?.exits[0]).toMatchObject({ code: 3, signal: null })
    const api = (await call(sim, 'GET', `/pods/${id}`)).body
    expect(api.status).toBe('RUNNING')
    expect(api.cost).toBe(0.69)
  })

  it('killPod with restart: a crash, started again with a new process', async () => {
    const id = await runningPod(sim)
    const first = sim.pod(id)?.pid ?? -1
    await sim.killPod(id, { restart: true })
    expect(isAlive(first)).toBe(false)
    const pid = await waitFor(() => {
      const pod = sim.pod(id)
      return pod?.running === true && pod.pid !== first ? pod.pid : undefined
    })
    expect(isAlive(pid ?? -1)).toBe(true)
    expect(sim.pod(id)).toMatchObject({ status: 'RUNNING', restarts: 1 })
  })

  it('killPod without restart: a dead host, ERROR, never restarted, still billing', async () => {
    const id = await runningPod(sim)
    const pid = sim.pod(id)?.pid ?? -1
    await sim.killPod(id, { restart: false })
    expect(isAlive(pid)).toBe(false)
    await sleep(FAST.restartDelayMs * 3)
    expect(sim.pod(id)).toMatchObject({ status: 'ERROR', running: false, restarts: 0 })
    const api = (await call(sim, 'GET', `/pods/${id}`)).body
    expect(api).toMatchObject({ status: 'ERROR', runtime: null, actions: ['start', 'terminate'], cost: 0.69 })
    expect((await call(sim, 'DELETE', `/pods/${id}`)).status).toBe(204)
  })

  it('silencePod stops the process group: RUNNING, billing, but no output; terminate still kills it', async () => {
    const id = await runningPod(sim, { args: 'while true; do echo beat >> beats.txt; sleep 0.02; done' })
    const beats = join(sim.pod(id)?.dir ?? '', 'beats.txt')
    await waitFor(() => lines(beats) >= 2, 3000, 'heartbeats')
    sim.silencePod(id)
    await sleep(100)
    const frozen = lines(beats)
    await sleep(200)
    expect(lines(beats)).toBe(frozen)
    const billedBefore = sim.billing(id).seconds
    await sleep(50)
    expect(sim.billing(id).seconds).toBeGreaterThan(billedBefore)
    expect(sim.pod(id)).toMatchObject({ status: 'RUNNING', running: true, silenced: true })
    expect((await call(sim, 'GET', `/pods/${id}`)).body.status).toBe('RUNNING')
    const pid = sim.pod(id)?.pid ?? -1
    expect((await call(sim, 'DELETE', `/pods/${id}`)).status).toBe(204)
    expect(isAlive(pid)).toBe(false)
  })

  it('restart action starts the process again in place', async () => {
    const id = await runningPod(sim)
    const first = sim.pod(id)?.pid ?? -1
    const res = await call(sim, 'POST', `/pods/${id}/action`, { action: 'restart' })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('RUNNING')
    expect(isAlive(first)).toBe(false)
    expect(sim.pod(id)).toMatchObject({ running: true, restarts: 1 })
  })

  it('close() kills every pod process, and a SIGTERM-ignoring one after the grace', async () => {
    const a = await runningPod(sim)
    const b = await runningPod(sim, { args: "trap '' TERM; while true; do sleep 0.05; done" })
    const pids = [sim.pod(a)?.pid ?? -1, sim.pod(b)?.pid ?? -1]
    await sim.close()
    for (const pid of pids) expect(isAlive(pid)).toBe(false)
  })
})

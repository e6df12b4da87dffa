import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { componentChecker } from './openapi-schema.ts'
import { CAPACITY_WORDINGS } from './problem.ts'
import { CONTAINER_PATH, startRunpodSim } from './sim.ts'
import { FAST, call, exampleBody, isAlive, runningPod, waitFor } from './testing.ts'
import type { RunpodSim } from './types.ts'

describe('runpod-sim REST v2 API', () => {
  let sim: RunpodSim
  beforeEach(async () => {
    sim = await startRunpodSim({ ...FAST, podEnv: (pod) => ({ PODLAUNCH_WORKDIR: join(pod.dir, 'volume') }) })
  })
  afterEach(async () => {
    await sim.close()
  })

  it('answers 401 problem+json without or with a wrong bearer key', async () => {
    const missing = await call(sim, 'GET', '/pods', undefined, null)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('content-type')).toBe('application/problem+json')
    expect(missing.body).toMatchObject({ title: 'Unauthorized', status: 401 })
    expect((await call(sim, 'GET', '/pods', undefined, 'rpa_wrong')).status).toBe(401)
    expect(missing.headers.get('ratelimit')).toMatch(/"minute";r=\d+;t=\d+/)
  })

  it('creates a pod that goes PROVISIONING → STARTING → RUNNING and runs its args', async () => {
    await sim.close()
    sim = await startRunpodSim({ provisioningMs: 200, startingMs: 200 })
    const args = `echo "$RUNPOD_POD_ID $RUNPOD_GPU_COUNT $RUNPOD_DC_ID $PODLAUNCH_DEPLOYMENT_ID" > started.txt; echo "$RUNPOD_API_KEY" > key.txt; echo hello-log; exec sleep 30`
    const created = await call(sim, 'POST', '/pods', exampleBody({ args, gpu: { id: 'NVIDIA H100 80GB HBM3', count: 2 } }))
    expect(created.status).toBe(201)
    expect(created.headers.get('ratelimit-policy')).toContain('"minute";q=60;w=60')
    expect(created.body).toMatchObject({ status: 'PROVISIONING', runtime: null, actions: ['stop', 'terminate'] })
    expect(created.body).not.toHaveProperty('env')
    const id = created.body.id as string
    const seen = new Set<string>(['PROVISIONING'])
    await waitFor(async () => {
      const pod = (await call(sim, 'GET', `/pods/${id}`)).body
      seen.add(pod.status)
      return pod.status === 'RUNNING' && pod.runtime !== null
    })
    expect([...seen]).toEqual(['PROVISIONING', 'STARTING', 'RUNNING'])
    const info = sim.pod(id)
    const logs = await waitFor(async () => {
      const res = await call(sim, 'GET', `/pods/${id}/logs`)
      return res.text.includes('hello-log') ? res : undefined
    })
    expect(logs.headers.get('content-type')).toContain('text/plain')
    expect(readFileSync(join(info?.dir ?? '', 'started.txt'), 'utf8')).toBe(`${id} 2 US-TX-3 dep1\n`)
    const podKey = readFileSync(join(info?.dir ?? '', 'key.txt'), 'utf8').trim()
    expect(podKey).toBe(info?.podApiKey)
    expect(podKey).not.toBe(sim.apiKey)
    const pod = (await call(sim, 'GET', `/pods/${id}`)).body
    expect(pod).toMatchObject({ cost: 5.98, gpu: { id: 'NVIDIA H100 80GB HBM3', count: 2 }, dataCenterId: 'US-TX-3' })
    expect(pod.runtime.gpus).toHaveLength(2)
    expect(sim.createRequests).toEqual([exampleBody({ args, gpu: { id: 'NVIDIA H100 80GB HBM3', count: 2 } })])
  })

  it('passes podEnv to the process', async () => {
    const id = await runningPod(sim, { args: 'mkdir -p "$PODLAUNCH_WORKDIR" && echo ok > "$PODLAUNCH_WORKDIR/x"; exec sleep 30' })
    const file = join(sim.pod(id)?.dir ?? '', 'volume', 'x')
    await waitFor(() => existsSync(file))
  })

  it("starts pods from a container's PATH, never from this process's environment", async () => {
    process.env['RUNPOD_SIM_TEST_LEAK'] = 'leaked'
    try {
      const id = await runningPod(sim, { args: 'env > env.tmp && mv env.tmp env.txt; exec sleep 30' })
      const file = join(sim.pod(id)?.dir ?? '', 'env.txt')
      const env = await waitFor(() => (existsSync(file) ? readFileSync(file, 'utf8') : undefined))
      expect(env).toContain(`PATH=${CONTAINER_PATH}\n`)
      expect(env).not.toContain('RUNPOD_SIM_TEST_LEAK')
      expect(env).not.toMatch(/^HOME=/m)
    } finally {
      delete process.env['RUNPOD_SIM_TEST_LEAK']
    }
  })

  it('starts pods from the given hostEnv', async () => {
    await sim.close()
    sim = await startRunpodSim({ ...FAST, hostEnv: { PATH: CONTAINER_PATH, HOME: '/home/pod' } })
    const id = await runningPod(sim, { args: 'echo "$HOME" > home.tmp && mv home.tmp home.txt; exec sleep 30' })
    const file = join(sim.pod(id)?.dir ?? '', 'home.txt')
    expect(await waitFor(() => (existsSync(file) ? readFileSync(file, 'utf8') : undefined))).toBe('/home/pod\n')
  })

  it('answers 422 with paths for unknown fields and an unknown cloud', async () => {
    const res = await call(sim, 'POST', '/pods', exampleBody({ bogus: true, cloud: 'PUBLIC' }))
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.body.errors).toEqual(
      expect.arrayContaining(["$: additional properties 'bogus' not allowed", '$.cloud: must be one of "SECURE", "COMMUNITY"']),
    )
    expect(sim.pods()).toHaveLength(0)
  })

  it('answers a missing gpu.count with the capacity 400, bad JSON and unknown DC 400, template 404', async () => {
    const noCount = await call(sim, 'POST', '/pods', exampleBody({ gpu: { id: 'NVIDIA GeForce RTX 4090' } }))
    expect(noCount.status).toBe(400)
    expect(noCount.body.detail).toBe(CAPACITY_WORDINGS[0])
    expect((await call(sim, 'POST', '/pods', '{nope')).status).toBe(400)
    expect((await call(sim, 'POST', '/pods', exampleBody({ dataCenterIds: ['XX-NOWHERE-9'] }))).status).toBe(400)
    expect((await call(sim, 'POST', '/pods', exampleBody({ templateId: '30zmvf89kd' }))).status).toBe(404)
    expect(sim.createRequests).toHaveLength(4)
  })

  it("lists pods as {pods:[…]}, filters by name, and matches the document's Pod schema except env", async () => {
    const id = await runningPod(sim)
    await runningPod(sim, { name: 'other' })
    const list = await call(sim, 'GET', '/pods')
    expect(list.status).toBe(200)
    expect(Object.keys(list.body)).toEqual(['pods'])
    expect(list.body.pods).toHaveLength(2)
    expect((await call(sim, 'GET', '/pods?name=podlaunch-dep1')).body.pods.map((p: { id: string }) => p.id)).toEqual([id])
    const checkPod = componentChecker('Pod')
    for (const pod of list.body.pods) {
      expect(checkPod(pod).errors).toEqual(["$: missing property 'env'"])
    }
  })

  it('DELETE answers 204, then GET 404, the pod leaves the list and its process is dead', async () => {
    const id = await runningPod(sim)
    const pid = sim.pod(id)?.pid ?? -1
    expect(isAlive(pid)).toBe(true)
    const del = await call(sim, 'DELETE', `/pods/${id}`)
    expect(del.status).toBe(204)
    expect(del.text).toBe('')
    expect(isAlive(pid)).toBe(false)
    expect((await call(sim, 'GET', `/pods/${id}`)).status).toBe(404)
    expect((await call(sim, 'DELETE', `/pods/${id}`)).status).toBe(404)
    expect((await call(sim, 'GET', '/pods')).body.pods).toEqual([])
    expect(sim.pod(id)).toMatchObject({ status: 'TERMINATED', running: false })
  })

  it('runs actions: stop (EXITED, cost 0), invalid action 409, start, terminate 204', async () => {
    const id = await runningPod(sim)
    const stopped = await call(sim, 'POST', `/pods/${id}/action`, { action: 'stop' })
    expect(stopped.status).toBe(200)
    expect(stopped.body).toMatchObject({ status: 'EXITED', cost: 0, runtime: null, actions: ['start', 'terminate'] })
    const conflict = await call(sim, 'POST', `/pods/${id}/action`, { action: 'restart' })
    expect(conflict.status).toBe(409)
    expect((await call(sim, 'POST', `/pods/${id}/action`, { action: 'explode' })).status).toBe(422)
    expect((await call(sim, 'POST', `/pods/${id}/action`, { action: 'start' })).body.status).toBe('STARTING')
    await waitFor(() => sim.pod(id)?.running)
    const terminated = await call(sim, 'POST', `/pods/${id}/action`, { action: 'terminate' })
    expect(terminated.status).toBe(204)
    expect((await call(sim, 'GET', `/pods/${id}`)).status).toBe(404)
  })

  it('answers anything else with a 404 problem', async () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['PUT', '/pods'],
      ['GET', '/pods/abc/xyz'],
    ] as const) {
      const res = await call(sim, method, path)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('ratelimit')).not.toBeNull()
    }
  })
})

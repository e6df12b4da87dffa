import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLocalProvider, minimalHostEnv } from './local.ts'
import type { LocalPod, LocalProvider } from './local.ts'
import { isProcessAlive, pollUntil } from './process-group.ts'
import type { CreatePodRequest } from './types.ts'

let rootDir: string
let provider: LocalProvider

beforeEach(() => {
  rootDir = mkdtempSync(join(tmpdir(), 'podlaunch-local-'))
  provider = createLocalProvider({ rootDir, graceMs: 300, hostEnv: minimalHostEnv(process.env) })
})

afterEach(async () => {
  await provider.close()
  rmSync(rootDir, { recursive: true, force: true })
})

function request(deploymentId: string, script: string, env: Record<string, string> = {}): CreatePodRequest {
  return { deploymentId, image: 'unused', gpu: { types: ['local'], count: 1 }, env, script }
}

async function waitForStatus(podId: string, status: LocalPod['status']): Promise<LocalPod> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const pod = await provider.getPod(podId)
    if (pod?.status === status) return pod
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`pod ${podId} never reached ${status}`)
}

async function waitForFile(path: string): Promise<string> {
  let text = ''
  await pollUntil(() => {
    try {
      text = readFileSync(path, 'utf8')
      return text.endsWith('\n')
    } catch {
      return false
    }
  }, 10_000)
  return text
}

describe('local provider', () => {
  it('runs the script in its own work directory with the pod env and records the exit code', async () => {
    const secret = 'https://example.test/x?token=abc.def'
    const created = await provider.createPod(
      request(
        'dep-1',
        'echo hi; echo "$PODLAUNCH_X" > out; echo "$PODLAUNCH_WORKDIR|$PODLAUNCH_POD_ID|${SECRET_FROM_HOST:-none}" > where; exit 3',
        {
          PODLAUNCH_X: secret,
        },
      ),
    )
    expect(created).toMatchObject({ name: 'podlaunch-dep-1', status: 'running', gpuType: 'local', costPerHr: 0 })
    const pod = await waitForStatus(created.podId, 'exited')
    expect(pod.exitCode).toBe(3)
    expect(pod.workDir).toBe(join(rootDir, created.podId))
    expect(readFileSync(join(pod.workDir, 'workspace', 'out'), 'utf8')).toBe(`${secret}\n`)
    expect(readFileSync(join(pod.workDir, 'workspace', 'where'), 'utf8')).toBe(`${join(pod.workDir, 'workspace')}|${created.podId}|none\n`)
    expect(readFileSync(join(pod.workDir, 'console.log'), 'utf8')).toBe('hi\n')
  })

  it('passes only the host env it was given, never its own process environment', async () => {
    process.env['PODLAUNCH_TEST_LEAK'] = 'leaked'
    try {
      const isolated = createLocalProvider({ rootDir, hostEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GIVEN: 'yes' } })
      const pod = await isolated.createPod(request('dep-env', 'env > env.txt'))
      const env = await waitForFile(join(pod.workDir, 'workspace', 'env.txt'))
      await isolated.close()
      expect(env).toMatch(/^GIVEN=yes$/m)
      expect(env).not.toContain('PODLAUNCH_TEST_LEAK')
      expect(env).not.toMatch(/^HOME=/m)
    } finally {
      delete process.env['PODLAUNCH_TEST_LEAK']
    }
  })

  it('takes PATH, HOME and LANG from a host environment and nothing else', () => {
    const source = { PATH: '/bin', HOME: '/home/u', LANG: 'C.UTF-8', PODLAUNCH_RUNPOD_API_KEY: 'secret', SHELL: undefined }
    expect(minimalHostEnv(source)).toEqual({ PATH: '/bin', HOME: '/home/u', LANG: 'C.UTF-8' })
  })

  it('terminates the whole process group: SIGTERM, then SIGKILL after the grace period', async () => {
    // Ignoring TERM is inherited by the children, so only the SIGKILL can end them.
    const script = "trap '' TERM; sleep 1000 & echo $! > child.pid; bash -c 'sleep 1000' & echo $! > child2.pid; echo ready > ready; wait"
    const pod = await provider.createPod(request('dep-long', script))
    await waitForFile(join(pod.workDir, 'workspace', 'ready'))
    const children = ['child.pid', 'child2.pid'].map((f) => Number(readFileSync(join(pod.workDir, 'workspace', f), 'utf8')))
    expect(children.every(isProcessAlive)).toBe(true)

    const started = Date.now()
    await provider.terminatePod(pod.podId)
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    expect(isProcessAlive(pod.pid)).toBe(false)
    expect(children.map(isProcessAlive)).toEqual([false, false])
    const after = await provider.getPod(pod.podId)
    expect(after?.status).toBe('terminated')
    expect(after?.exitSignal).toBe('SIGKILL')

    await provider.terminatePod(pod.podId) // idempotent
    await provider.terminatePod('local-unknown') // unknown is gone, so done
  })

  it('stops a cooperative script with SIGTERM alone', async () => {
    const pod = await provider.createPod(request('dep-term', 'echo ready > ready; sleep 1000'))
    await waitForFile(join(pod.workDir, 'workspace', 'ready'))
    await Promise.all([provider.terminatePod(pod.podId), provider.terminatePod(pod.podId)])
    expect((await provider.getPod(pod.podId))?.exitSignal).toBe('SIGTERM')
  })

  it('kills what the script left behind when it exits, as a container does', async () => {
    const pod = await provider.createPod(request('dep-bg', 'sleep 1000 & echo $! > child.pid; exit 0'))
    await waitForStatus(pod.podId, 'exited')
    const child = Number(await waitForFile(join(pod.workDir, 'workspace', 'child.pid')))
    expect(await pollUntil(() => !isProcessAlive(child), 5000)).toBe(true)
  })

  it('lists pods by name prefix', async () => {
    const a = await provider.createPod(request('alpha-1', 'exit 0'))
    const b = await provider.createPod(request('beta-1', 'exit 0'))
    expect((await provider.listPods('podlaunch-')).map((p) => p.podId).sort()).toEqual([a.podId, b.podId].sort())
    expect((await provider.listPods('podlaunch-alpha')).map((p) => p.podId)).toEqual([a.podId])
    expect(await provider.listPods('other-')).toEqual([])
    expect(await provider.getPod('local-missing')).toBeUndefined()
  })

  it('refuses to start when the signal already fired', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(provider.createPod(request('dep-abort', 'exit 0'), { signal: controller.signal })).rejects.toMatchObject({
      code: 'aborted',
    })
    expect(await provider.listPods('podlaunch-')).toEqual([])
  })
})

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CAPACITY_WORDINGS, validateCreatePodBody } from '@podlaunch/runpod-sim'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createRedactor, isCapacityAnswer, toProviderPod } from './runpod-answers.ts'
import { bootstrapArgs, createPodBody } from './runpod-create-body.ts'

const dir = mkdtempSync(join(tmpdir(), 'podlaunch-args-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('bootstrapArgs', () => {
  it('delivers any script byte for byte and runs it', () => {
    // One bash runs every sample: spawning from the test process costs ~150 ms each here.
    const tails = [...fc.sample(fc.string({ unit: 'binary', maxLength: 400 }), 100), '\'"$(x)`y`\\', '\n\r\t ']
    // The first line exits, so the arbitrary text after it is only data.
    const scripts = tails.map((tail, i) => `printf ran > ran-${i}; exit 0\n${tail}`)
    scripts.forEach((script, i) => writeFileSync(join(dir, `args-${i}`), bootstrapArgs(script, '/nonexistent')))
    const driver = `for ((i = 0; i < ${scripts.length}; i++)); do PODLAUNCH_WORKDIR="$PWD/w-$i" bash -c "$(cat "args-$i")"; done`
    execFileSync('bash', ['-c', driver], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' } })
    scripts.forEach((script, i) => {
      expect(readFileSync(join(dir, `w-${i}`, 'podlaunch-bootstrap.sh'), 'utf8')).toBe(script)
      expect(readFileSync(join(dir, `ran-${i}`), 'utf8')).toBe('ran')
    })
  })

  it('refuses a workspace path bash would expand', () => {
    expect(() => bootstrapArgs('x', '/work space')).toThrow(TypeError)
    expect(() => bootstrapArgs('x', "/w'")).toThrow(TypeError)
    expect(() => bootstrapArgs('x', 'relative')).toThrow(TypeError)
  })
})

describe('createPodBody', () => {
  it('stays inside the published contract', () => {
    const request = { deploymentId: 'd1', image: 'img', gpu: { types: ['g'], count: 2 }, env: { A: 'b' }, script: 'true' }
    expect(validateCreatePodBody(createPodBody(request, 'NVIDIA L4', bootstrapArgs('true', '/workspace'))).valid).toBe(true)
    expect(validateCreatePodBody(createPodBody({ ...request, diskGb: 20, cloud: 'COMMUNITY' }, 'NVIDIA L4', 'x')).valid).toBe(true)
    // The work directory is a persistent volume, so the finished marker outlives a container restart.
    expect(createPodBody(request, 'NVIDIA L4', 'x')).toMatchObject({ mounts: { persistent: { size: 20, path: '/workspace' } } })
  })
})

describe('answers', () => {
  it('recognises every capacity wording, only on a 400', () => {
    for (const wording of CAPACITY_WORDINGS) {
      expect(isCapacityAnswer(400, wording)).toBe(true)
      expect(isCapacityAnswer(500, wording)).toBe(false)
    }
    expect(isCapacityAnswer(400, 'Exactly one of gpu or cpu must be set.')).toBe(false)
  })

  it('maps pods and tolerates statuses it does not know', () => {
    expect(toProviderPod({ id: 'p1', name: 'n', status: 'EXITED', cost: 0, gpu: { id: 'NVIDIA L4', count: 1 } })).toEqual({
      podId: 'p1',
      name: 'n',
      status: 'exited',
      gpuType: 'NVIDIA L4',
      costPerHr: 0,
    })
    expect(toProviderPod({ id: 'p1', name: 'n', status: 'MIGRATING' })).toMatchObject({
      status: 'provisioning',
      gpuType: null,
      costPerHr: null,
    })
    expect(toProviderPod({ name: 'n' })).toBeUndefined()
  })

  it('redacts long secrets, longest first, and leaves short values alone', () => {
    const redact = createRedactor(['secret-token-1', 'secret-token-12345', 'ab'])
    expect(redact('x secret-token-12345 y secret-token-1 ab')).toBe('x [REDACTED] y [REDACTED] ab')
  })
})

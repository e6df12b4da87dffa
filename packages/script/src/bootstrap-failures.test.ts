import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FAST, pathWithout, POD_TOKEN, runScript, setUpBehaviourTests, tempDir, TIMESTAMPED, timeline } from '../test/harness.ts'
import type { EventsServer, RunResult } from '../test/harness.ts'

const dataset = Buffer.from('a,b\n1,2\n')
const TRAIN = 'touch trained; echo never'
let noCurl: string

beforeAll(() => {
  noCurl = pathWithout(['curl'])
})

const tests = setUpBehaviourTests()
const server = (opts: { datasetStatus?: number; serve?: Buffer } = {}) => tests.server({ dataset: opts.serve ?? dataset, ...opts })

function expectNoToken(r: RunResult, s: EventsServer): void {
  expect(r.stdout).not.toContain(POD_TOKEN)
  expect(readFileSync(join(r.workdir, 'podlaunch.log'), 'utf8')).not.toContain(POD_TOKEN)
  expect(JSON.stringify(s.batches)).not.toContain(POD_TOKEN)
}

describe('failures', () => {
  for (const tool of ['curl', 'wget'] as const) {
    it(`a dataset 404 is download_failed with ${tool}: no training, termination at once`, async () => {
      const s = await server({ datasetStatus: 404 })
      const r = await runScript({
        server: s,
        dataset,
        spec: { ...FAST, keepAliveSeconds: 30, trainCommand: TRAIN },
        env: tool === 'wget' ? { PATH: noCurl } : {},
      })
      expect(r.code).not.toBe(0)
      expect(existsSync(join(r.workdir, 'trained'))).toBe(false)
      expect(timeline(s.events())).toEqual([
        'status:starting',
        'status:downloading',
        'status:failed/download_failed',
        'terminate_request:failed',
      ])
      expect(r.stdout).toMatch(new RegExp(`ERROR at \\S+Z: line \\d+: command \`${tool} [^\`]*\` failed with exit code \\d+`))
      expect(r.stdout).not.toMatch(/keeping the pod up/)
      const failed = s.events().find((e) => e.status === 'failed')!
      expect(failed.message).toMatch(new RegExp(`^line \\d+: \`${tool} `))
      expect(String(failed.logTail)).toMatch(/ERROR at/)
      for (const line of r.stdout.trimEnd().split('\n')) expect(line).toMatch(TIMESTAMPED)
      expectNoToken(r, s)
      expect(s.unauthorized).toBe(0)
    })
  }

  it('a wrong digest is checksum_mismatch and never trains', async () => {
    const s = await server({ serve: Buffer.from('a,b\n1,3\n') })
    const r = await runScript({ server: s, dataset, spec: { ...FAST, trainCommand: TRAIN } })
    expect(r.code).not.toBe(0)
    expect(existsSync(join(r.workdir, 'trained'))).toBe(false)
    expect(timeline(s.events())).toEqual([
      'status:starting',
      'status:downloading',
      'status:failed/checksum_mismatch',
      'terminate_request:failed',
    ])
    expect(s.events().find((e) => e.status === 'failed')?.message).toMatch(/sha256 mismatch/)
    expectNoToken(r, s)
  })

  it('training exit 3 is failed with code 3 and the log tail, terminated at once', async () => {
    const s = await server()
    const trainCommand = 'for i in $(seq 1 80); do echo "train line $i"; done; echo "boom" >&2; exit 3'
    // A fake runpodctl records the fallback termination call.
    const bin = tempDir('podlaunch-fakebin-')
    writeFileSync(join(bin, 'runpodctl'), `#!/bin/sh\necho "$@" >>"${bin}/calls"\n`, { mode: 0o755 })
    const r = await runScript({
      server: s,
      dataset,
      spec: { ...FAST, keepAliveSeconds: 30, trainCommand },
      env: { PATH: `${bin}:${process.env.PATH}`, RUNPOD_POD_ID: 'pod-123' },
    })
    expect(r.code).toBe(3)
    expect(readFileSync(join(bin, 'calls'), 'utf8')).toBe('remove pod pod-123\n')
    expect(timeline(s.events())).toEqual([
      'status:starting',
      'status:downloading',
      'report:download_complete',
      'status:training',
      'status:failed/training_failed',
      'terminate_request:failed',
    ])
    const failed = s.events().find((e) => e.status === 'failed')!
    expect(failed.exitCode).toBe(3)
    const tail = String(failed.logTail).split('\n')
    expect(tail).toHaveLength(50)
    expect(tail.join('\n')).toMatch(/train line 80\n.*boom\n.*training command exited with code 3/)
    expect(tail[0]).toMatch(TIMESTAMPED)
    const terminate = s.events().find((e) => e.type === 'terminate_request')!
    expect(Date.parse(terminate.at) - Date.parse(failed.at)).toBeLessThan(5_000)
    expect(r.stdout).not.toMatch(/keeping the pod up/)
    expectNoToken(r, s)
  })

  it('a missing environment variable is setup_failed, naming it', async () => {
    const s = await server()
    const r = await runScript({ server: s, dataset, spec: { ...FAST, trainCommand: TRAIN }, env: { PODLAUNCH_DATASET_SHA256: undefined } })
    expect(r.code).not.toBe(0)
    expect(timeline(s.events())).toEqual(['status:failed/setup_failed', 'terminate_request:failed'])
    expect(s.events().find((e) => e.status === 'failed')?.message).toMatch(/missing environment variable\(s\): PODLAUNCH_DATASET_SHA256/)
  })

  it('max runtime ends training as training_failed', async () => {
    const s = await server()
    const r = await runScript({ server: s, dataset, spec: { ...FAST, maxRuntimeSeconds: 1, trainCommand: 'sleep 20' } })
    expect(r.code).toBe(124)
    expect(s.events().find((e) => e.status === 'failed')?.message).toMatch(/max runtime of 1s/)
  })
})

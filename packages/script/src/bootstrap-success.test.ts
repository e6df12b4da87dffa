import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FAST, pathWithout, POD_TOKEN, runScript, setUpBehaviourTests, TIMESTAMPED, timeline } from '../test/harness.ts'

const dataset = Buffer.from('x'.repeat(100_000))
// 2,500 metric lines at once (more than one 1,000-event batch), then more
// after a pause so the shipper sends several ticks' worth.
const TRAIN = [
  'test "$(wc -c <"$PODLAUNCH_DATASET_PATH")" -eq 100000',
  'echo "token visible: ${PODLAUNCH_POD_TOKEN:-no}"',
  'echo "user env: $GREETING"',
  'for i in $(seq 1 2500); do echo "{\\"step\\":$i,\\"loss\\":0.5}"; done >>"$PODLAUNCH_METRICS_FILE"',
  'sleep 1.2',
  'for i in $(seq 2501 2520); do echo "{\\"step\\":$i,\\"loss\\":0.25}" >>"$PODLAUNCH_METRICS_FILE"; echo "step $i"; done',
  'echo done >trained',
].join('\n')

let noCurl: string
beforeAll(() => {
  noCurl = pathWithout(['curl'])
})
const tests = setUpBehaviourTests()
const server = () => tests.server({ dataset })

describe('success', () => {
  for (const tool of ['curl', 'wget'] as const) {
    it(`succeeds with ${tool}, ships every metric once in order, keeps alive, then asks for termination`, async () => {
      const s = await server()
      const r = await runScript({
        server: s,
        dataset,
        spec: { ...FAST, trainCommand: TRAIN, env: { GREETING: 'hello' } },
        env: tool === 'wget' ? { PATH: noCurl } : {},
      })
      expect(r.code, r.stdout).toBe(0)
      expect(timeline(s.events())).toEqual([
        'status:starting',
        'status:downloading',
        'report:download_complete',
        'status:training',
        'status:succeeded',
        'terminate_request:keep_alive_expired',
      ])
      const seqs = s.batches.map((b) => b.seq)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      expect(new Set(seqs).size).toBe(seqs.length)
      for (const b of s.batches) expect(b.events.length).toBeLessThanOrEqual(1000)

      const steps = s
        .events()
        .filter((e) => e.type === 'metric')
        .map((e) => (JSON.parse(String(e.line)) as { step: number }).step)
      expect(steps).toEqual(Array.from({ length: 2520 }, (_, i) => i + 1))

      const report = s.events().find((e) => e.type === 'report')!
      expect(report.data).toMatchObject({ bytes: 100_000 })
      expect(typeof (report.data as { seconds: number }).seconds).toBe('number')

      const succeeded = s.events().find((e) => e.status === 'succeeded')!
      const terminate = s.events().find((e) => e.type === 'terminate_request')!
      expect(Date.parse(terminate.at) - Date.parse(succeeded.at)).toBeGreaterThanOrEqual(1000)

      const logs = s
        .events()
        .filter((e) => e.type === 'log')
        .map((e) => String(e.line))
      expect(logs).toContain('user env: hello')
      expect(logs).toContain('token visible: no')
      expect(logs).toContain('step 2520')
      expect(new Set(logs.filter((l) => l.startsWith('step '))).size).toBe(20)
      expect(s.events().filter((e) => e.type === 'heartbeat').length).toBeGreaterThanOrEqual(1)
      for (const e of s.events()) expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

      const log = readFileSync(join(r.workdir, 'podlaunch.log'), 'utf8')
      for (const line of log.trimEnd().split('\n')) expect(line).toMatch(TIMESTAMPED)
      expect(log).toMatch(/---- system ----[\s\S]*gpu: [\s\S]*python: [\s\S]*disk /)
      expect(log).not.toContain(POD_TOKEN)
      expect(r.stdout).not.toContain(POD_TOKEN)
      expect(readFileSync(join(r.workdir, '.podlaunch/finished'), 'utf8')).toBe('succeeded 0\n')
    }, 30_000)
  }

  it('a second run in the same work directory does not train again', async () => {
    const s = await server()
    const spec = { ...FAST, keepAliveSeconds: 0, trainCommand: 'echo run >>runs.txt' }
    const first = await runScript({ server: s, dataset, spec })
    expect(first.code).toBe(0)
    const before = s.batches.length
    const second = await runScript({ server: s, dataset, spec, workdir: first.workdir })
    expect(second.code).toBe(0)
    expect(readFileSync(join(first.workdir, 'runs.txt'), 'utf8')).toBe('run\n')
    const again = s.batches.slice(before).flatMap((b) => b.events)
    expect(timeline(again)).toEqual(['report:restarted_after_finish', 'terminate_request:restarted_after_finish'])
    expect(Math.min(...s.batches.slice(before).map((b) => b.seq))).toBeGreaterThan(
      Math.max(...s.batches.slice(0, before).map((b) => b.seq)),
    )
  })

  it('an unreachable events server does not stop training from succeeding', async () => {
    const s = await server()
    const started = Date.now()
    const r = await runScript({
      server: s,
      dataset,
      eventsUrl: 'http://127.0.0.1:9/v1/pod/events',
      spec: { ...FAST, keepAliveSeconds: 0, trainCommand: 'echo done >trained' },
    })
    expect(r.code).toBe(0)
    expect(existsSync(join(r.workdir, 'trained'))).toBe(true)
    expect(r.stdout).toMatch(/not delivered/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('wait mode reports, asks for termination and then sleeps instead of exiting', async () => {
    const s = await server()
    const r = await runScript({
      server: s,
      dataset,
      spec: { ...FAST, onFinish: 'wait', keepAliveSeconds: 0, trainCommand: 'true' },
      until: /job over; sleeping/,
    })
    expect(r.code).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(r.child.exitCode).toBeNull()
    const pid = r.child.pid!
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)
    const commands = children.map((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').replaceAll('\0', ' ').trim())
    expect(commands).toContain('sleep infinity')
    expect(timeline(s.events()).slice(-2)).toEqual(['status:succeeded', 'terminate_request:keep_alive_expired'])
  })
})

// The pod protocol's limits, run for real: the generated script under bash cuts and drops what
// is over @podlaunch/contract's budgets, and the events server (which holds every batch to the
// contract's PodBatchSchema and body limit, as the real server does) accepts all it sends.
import { POD_BATCH_LIMITS, POD_SCRIPT_BUDGETS, TRUNCATION_MARKER, utf8Bytes } from '@podlaunch/contract'
import { describe, expect, it } from 'vitest'
import { FAST, runScript, setUpBehaviourTests, takeRefusals } from '../test/harness.ts'
import type { EventsServer } from '../test/harness.ts'

const dataset = Buffer.from('data\n')
const tests = setUpBehaviourTests()
const server = () => tests.server({ dataset })

const B = POD_SCRIPT_BUDGETS
/** Bash that prints `count` copies of one ASCII character, no newline. */
const repeat = (char: string, count: number) => `head -c ${count} /dev/zero | tr '\\0' ${char}`
const logLines = (s: EventsServer) =>
  s
    .events()
    .filter((e) => e.type === 'log')
    .map((e) => String(e.line))

describe('pod protocol limits', () => {
  it('cuts a long log line at the budget without splitting a character, and sends one at the budget whole', async () => {
    const s = await server()
    const nasty = 'quote " backslash \\ tab \t bell \u0007 esc \u001b é 😀 $(id)'
    const trainCommand = [
      `printf '%s\\n' '${nasty.replaceAll("'", "'\\''")}'`,
      `${repeat('a', 20_000)}; echo`,
      `${repeat('b', B.logLineBytes)}; echo`,
      // One ASCII byte, then 4-byte characters: the budget falls inside one of them.
      `printf x; for i in $(seq 3000); do printf '😀'; done; echo`,
    ].join('\n')
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand } })
    expect(r.code, r.stdout).toBe(0)
    const lines = logLines(s)
    expect(lines).toContain(nasty)
    expect(lines).toContain('a'.repeat(B.logLineBytes) + TRUNCATION_MARKER)
    expect(lines).toContain('b'.repeat(B.logLineBytes))
    const emoji = lines.find((l) => l.startsWith('x😀'))!
    expect(emoji).toBe(`x${'😀'.repeat((B.logLineBytes - 1) >> 2)}${TRUNCATION_MARKER}`)
    for (const line of lines) expect(utf8Bytes(line)).toBeLessThanOrEqual(POD_BATCH_LIMITS.logLineBytes)
  })

  it('ships a metric line at the limit and drops one a byte over', async () => {
    const s = await server()
    // {"step":N,"x":"aaa…"}: 15 bytes before the padding, 2 after it.
    const metric = (step: number, bytes: number) => `printf '{"step":${step},"x":"%s"}\\n' "$(${repeat('a', bytes - 17)})" >>"$m"`
    const trainCommand = [
      'm="$PODLAUNCH_METRICS_FILE"',
      `echo '{"step":1,"loss":1}' >>"$m"`,
      metric(2, B.metricLineBytes),
      metric(3, B.metricLineBytes + 1),
      'echo "not json" >>"$m"',
      `echo '{"step":4,"loss":0.5}' >>"$m"`,
    ].join('\n')
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand } })
    expect(r.code, r.stdout).toBe(0)
    const metrics = s
      .events()
      .filter((e) => e.type === 'metric')
      .map((e) => String(e.line))
    expect(metrics.map((line) => (JSON.parse(line) as { step: number }).step)).toEqual([1, 2, 4])
    expect(utf8Bytes(metrics[1]!)).toBe(POD_BATCH_LIMITS.metricLineBytes)
    expect(r.stdout).toContain(`metrics: dropped a line of ${B.metricLineBytes + 1} bytes (limit ${B.metricLineBytes})`)
    expect(r.stdout).toMatch(/metrics: dropped a line that is not a JSON object/)
  })

  it('keeps the failure log tail to its lines and bytes', async () => {
    const s = await server()
    const trainCommand = `for i in $(seq 1 60); do ${repeat('b', 3000)}; echo; done\nexit 1`
    const r = await runScript({ server: s, dataset, spec: { ...FAST, trainCommand } })
    expect(r.code).toBe(1)
    const tail = String(s.events().find((e) => e.status === 'failed')!.logTail).split('\n')
    expect(tail).toHaveLength(B.tailLines)
    for (const line of tail) expect(utf8Bytes(line)).toBeLessThanOrEqual(B.tailLineBytes + utf8Bytes(TRUNCATION_MARKER))
    expect(tail.filter((line) => line.endsWith(`bbb${TRUNCATION_MARKER}`)).length).toBeGreaterThan(B.tailLines / 2)
    expect(utf8Bytes(tail.join('\n'))).toBeLessThanOrEqual(POD_BATCH_LIMITS.logTailBytes)
  })

  it('fills batches up to the budget and never past the server’s body limit, escaping included', async () => {
    const s = await server()
    // A tab is one byte in the log and two (\t) in the batch: 300 lines of 8,000 tabs are 4.8 MB of JSON.
    const trainCommand = `for i in $(seq 1 300); do head -c ${B.logLineBytes} /dev/zero | tr '\\0' '\\t'; echo; done`
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand }, timeoutMs: 60_000 })
    expect(r.code, r.stdout).toBe(0)
    expect(logLines(s).filter((line) => line === '\t'.repeat(B.logLineBytes))).toHaveLength(300)
    const sizes = s.batches.map((b) => b.bytes)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(B.batchBytes + 64)
    expect(Math.max(...sizes)).toBeGreaterThan(B.batchBytes - 2 * (2 * B.logLineBytes + 64))
    expect(B.batchBytes + 64).toBeLessThan(POD_BATCH_LIMITS.bytes)
  }, 90_000)

  it('would be refused by the server with a budget over its limit (so drift fails these tests)', async () => {
    const s = await server()
    const over = POD_BATCH_LIMITS.logLineBytes + 100
    const r = await runScript({
      server: s,
      dataset,
      spec: { ...FAST, keepAliveSeconds: 0, trainCommand: `${repeat('a', 20_000)}; echo` },
      edit: (script) => script.replace(`PL_MAX_LINE_BYTES=${B.logLineBytes}\n`, `PL_MAX_LINE_BYTES=${over}\n`),
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/rejected with HTTP 400, dropped/)
    expect(takeRefusals()).toContainEqual({ status: 400, problem: expect.stringMatching(/a log line must be at most 8192 bytes/) })
  })
})

import { describe, expect, it } from 'vitest'
import { SERVER_EVENT_KINDS, POD_REPORT_KINDS } from './events.ts'
import { FAILURE_REASONS, DEPLOYMENT_STATUSES } from './lifecycle.ts'
import { POD_BATCH_LIMITS, POD_SCRIPT_BUDGETS, TRUNCATION_MARKER } from './pod-limits.ts'
import { parseMetricLine } from './pod-metrics.ts'
import { POD_FAILURE_REASONS, POD_STATUSES, PodBatchSchema, PodEventSchema } from './pod-protocol.ts'
import { utf8Bytes } from './utf8.ts'

const at = '2026-11-28T13:40:01.123Z'
const log = (line: string) => PodEventSchema.safeParse({ type: 'log', at, line })

describe('pod batch schema', () => {
  it('counts a line in UTF-8 bytes, up to the limit and not one past it', () => {
    const max = POD_BATCH_LIMITS.logLineBytes
    expect(log('a'.repeat(max)).success).toBe(true)
    expect(log('a'.repeat(max + 1)).success).toBe(false)
    // 2-byte characters: half as many fit; a lone surrogate counts as U+FFFD (3 bytes), as sent.
    expect(log('é'.repeat(max / 2)).success).toBe(true)
    expect(log('é'.repeat(max / 2) + 'a').error?.issues[0]?.message).toBe(`a log line must be at most ${max} bytes`)
    expect(utf8Bytes('\ud800')).toBe(3)
    expect(utf8Bytes('😀')).toBe(4)
  })

  it('takes only the statuses and reasons a pod may send', () => {
    const status = (fields: Record<string, unknown>) => PodEventSchema.safeParse({ type: 'status', at, ...fields }).success
    for (const s of POD_STATUSES) expect(status({ status: s })).toBe(true)
    for (const s of DEPLOYMENT_STATUSES.filter((s) => !(POD_STATUSES as readonly string[]).includes(s)))
      expect(status({ status: s })).toBe(false)
    for (const r of POD_FAILURE_REASONS) expect(status({ status: 'failed', reason: r })).toBe(true)
    expect(status({ status: 'failed', reason: 'heartbeat_lost' })).toBe(false)
    expect(POD_FAILURE_REASONS.every((r) => (FAILURE_REASONS as readonly string[]).includes(r))).toBe(true)
  })

  it('lets a pod report any lower_snake_case kind but one the server writes', () => {
    const report = (kind: string) => PodEventSchema.safeParse({ type: 'report', at, kind })
    for (const kind of [...POD_REPORT_KINDS, 'a_newer_kind']) expect(report(kind).success).toBe(true)
    for (const kind of SERVER_EVENT_KINDS) {
      expect(report(kind).error?.issues[0]?.message).toBe('kind names an event only the server writes')
    }
    expect(report('Not-a-word').success).toBe(false)
    expect(POD_REPORT_KINDS.filter((kind) => (SERVER_EVENT_KINDS as readonly string[]).includes(kind))).toEqual([])
  })

  it('holds a batch to its event count and data size', () => {
    const heartbeats = (n: number) => ({ seq: 1, events: Array.from({ length: n }, () => ({ type: 'heartbeat', at })) })
    expect(PodBatchSchema.safeParse(heartbeats(POD_BATCH_LIMITS.events)).success).toBe(true)
    expect(PodBatchSchema.safeParse(heartbeats(POD_BATCH_LIMITS.events + 1)).success).toBe(false)
    const data = (length: number) => ({ type: 'report', at, kind: 'k', data: { s: 'x'.repeat(length - 8) } })
    expect(PodEventSchema.safeParse(data(POD_BATCH_LIMITS.dataJsonLength)).success).toBe(true)
    expect(PodEventSchema.safeParse(data(POD_BATCH_LIMITS.dataJsonLength + 1)).success).toBe(false)
  })
})

describe('the script budgets', () => {
  const marker = utf8Bytes(TRUNCATION_MARKER)

  it('stay within the server limits once the script adds its marker', () => {
    expect(POD_SCRIPT_BUDGETS.eventsPerBatch).toBeLessThanOrEqual(POD_BATCH_LIMITS.events)
    expect(POD_SCRIPT_BUDGETS.logLineBytes + marker).toBeLessThanOrEqual(POD_BATCH_LIMITS.logLineBytes)
    expect(POD_SCRIPT_BUDGETS.metricLineBytes).toBeLessThanOrEqual(POD_BATCH_LIMITS.metricLineBytes)
    expect(POD_SCRIPT_BUDGETS.messageBytes + marker).toBeLessThanOrEqual(POD_BATCH_LIMITS.messageBytes)
    // Each tail line with its marker and newline.
    expect(POD_SCRIPT_BUDGETS.tailLines * (POD_SCRIPT_BUDGETS.tailLineBytes + marker + 1)).toBeLessThanOrEqual(
      POD_BATCH_LIMITS.logTailBytes,
    )
    // The envelope {"seq":<16 digits>,"events":[…]} is under 40 bytes.
    const envelope = utf8Bytes(`{"seq":${Number.MAX_SAFE_INTEGER},"events":[]}`)
    expect(envelope).toBeLessThan(40)
    expect(POD_SCRIPT_BUDGETS.batchBytes + envelope).toBeLessThanOrEqual(POD_BATCH_LIMITS.bytes)
  })
})

describe('parseMetricLine', () => {
  it('turns each numeric field into a point and refuses what is not a metric line', () => {
    expect(parseMetricLine('{"step":3,"loss":0.5,"phase":"warmup","lr":1e-4}')).toEqual([
      { name: 'loss', step: 3, value: 0.5 },
      { name: 'lr', step: 3, value: 0.0001 },
    ])
    expect(parseMetricLine('{"step":1,"loss":NaN}')).toMatch(/not valid JSON/)
    expect(parseMetricLine('[1]')).toBe('a metric line must be a JSON object')
    expect(parseMetricLine('{"step":1.5}')).toMatch(/whole, non-negative step/)
    expect(parseMetricLine('{"step":1,"x":1e999}')).toBe('metric x is not a finite number')
    const long = 'n'.repeat(POD_BATCH_LIMITS.metricNameLength)
    expect(parseMetricLine(`{"step":1,"${long}":1}`)).toHaveLength(1)
    expect(parseMetricLine(`{"step":1,"${long}n":1}`)).toMatch(/at most 100 characters/)
  })
})

import { describe, expect, it } from 'vitest'
import { FAST, runScript, setUpBehaviourTests, timeline } from '../test/harness.ts'
import type { ServerOptions } from '../test/harness.ts'

const dataset = Buffer.from('data\n')
const tests = setUpBehaviourTests()
const server = (respond: ServerOptions['respond']) => tests.server({ dataset, respond })

describe('event delivery', () => {
  it('retries 5xx and 429 with the same seq, and stores each batch once', async () => {
    const s = await server((seq, attempt) => (seq === 1 && attempt === 1 ? 503 : seq === 2 && attempt === 1 ? 429 : 200))
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand: 'true' } })
    expect(r.code).toBe(0)
    expect(s.attempts.slice(0, 4)).toEqual([
      { seq: 1, status: 503 },
      { seq: 1, status: 200 },
      { seq: 2, status: 429 },
      { seq: 2, status: 200 },
    ])
    expect(timeline(s.events())[0]).toBe('status:starting')
  })

  it('drops a batch refused with another 4xx without retrying, and goes on', async () => {
    const s = await server((seq) => (seq === 1 ? 400 : seq === 2 ? 409 : 200))
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand: 'echo trained' } })
    expect(r.code).toBe(0)
    expect(s.attempts.filter((a) => a.seq === 1)).toEqual([{ seq: 1, status: 400 }])
    expect(s.attempts.filter((a) => a.seq === 2)).toEqual([{ seq: 2, status: 409 }])
    expect(r.stdout).toMatch(/batch 1 rejected with HTTP 400, dropped/)
    expect(r.stdout).toMatch(/server refused a status change in batch 2 \(HTTP 409\).*ILLEGAL_TRANSITION/)
    expect(timeline(s.events())).toEqual([
      'report:download_complete',
      'status:training',
      'status:succeeded',
      'terminate_request:keep_alive_expired',
    ])
  })

  it('keeps an undelivered batch with its seq and sends it later, in order', async () => {
    // seq 1 fails all three tries; the next batch tries it again first.
    const s = await server((seq, attempt) => (seq === 1 && attempt <= 3 ? 500 : 200))
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand: 'true' } })
    expect(r.code).toBe(0)
    expect(s.attempts.slice(0, 5).map((a) => `${a.seq}:${a.status}`)).toEqual(['1:500', '1:500', '1:500', '1:200', '2:200'])
    expect(timeline(s.events()).slice(0, 2)).toEqual(['status:starting', 'status:downloading'])
  })
})

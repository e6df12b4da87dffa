import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contentDisposition, parseRange } from './range.ts'

describe('parseRange', () => {
  it.each([
    [undefined, 100, { kind: 'full' }],
    ['bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-1000', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=50-5000', 100, { kind: 'partial', start: 50, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-9', 100, { kind: 'full' }],
    ['bytes=9-0', 100, { kind: 'full' }],
    ['bytes=abc', 100, { kind: 'full' }],
    ['items=0-9', 100, { kind: 'full' }],
    ['bytes=-', 100, { kind: 'full' }],
    ['bytes=99999999999999999999-', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-99999999999999999999', 100, { kind: 'partial', start: 0, end: 99 }],
    [`bytes=0-${'9'.repeat(400)}`, 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=-99999999999999999999', 100, { kind: 'partial', start: 0, end: 99 }],
    ['Bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=+1-9', 100, { kind: 'full' }],
    ['bytes=1e2-', 1000, { kind: 'full' }],
  ])('%s of %d bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected)
  })

  it('always yields a range inside the file or a refusal', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(1_000_000), (header, size) => {
        const result = parseRange(header, size)
        if (result.kind === 'partial') {
          expect(result.start).toBeGreaterThanOrEqual(0)
          expect(result.end).toBeLessThan(size)
          expect(result.start).toBeLessThanOrEqual(result.end)
        }
      }),
      { numRuns: 5000 },
    )
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.integer({ min: 1, max: 1000 }), (a, b, size) => {
        const result = parseRange(`bytes=${a}-${b}`, size)
        if (b < a) expect(result).toEqual({ kind: 'full' })
        else if (a >= size) expect(result).toEqual({ kind: 'unsatisfiable' })
        else expect(result).toEqual({ kind: 'partial', start: a, end: Math.min(b, size - 1) })
      }),
    )
  })
})

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('train.csv')).toBe(`attachment; filename="train.csv"; filename*=UTF-8''train.csv`)
    expect(contentDisposition('données "v2".csv')).toBe(
      `attachment; filename="donn_es _v2_.csv"; filename*=UTF-8''donn%C3%A9es%20%22v2%22.csv`,
    )
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseUploadRange } from './content-range.ts'

describe('parseUploadRange', () => {
  it('reads the forms curl and the script send', () => {
    expect(parseUploadRange(undefined, 10)).toEqual({ start: 0, end: 9, total: 10 })
    expect(parseUploadRange(undefined, 0)).toEqual({ start: 0, end: -1, total: 0 })
    expect(parseUploadRange('bytes 1000-2999/3000', 3000)).toEqual({ start: 1000, end: 2999, total: 3000 })
    expect(parseUploadRange('bytes */3000', 3000)).toEqual({ start: 3000, end: 2999, total: 3000 })
  })

  it('refuses malformed and inconsistent ranges', () => {
    for (const header of [
      'bytes 5-4/10',
      'bytes 0-10/10',
      'bytes=0-1/2',
      'bytes 0-1/*',
      'bytes -1-2/3',
      'items 0-1/2',
      'bytes 0-99999999999999999/1',
      '',
    ]) {
      expect(parseUploadRange(header, 10), header).toBeUndefined()
    }
  })

  it('round-trips every valid range', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(2 ** 40), fc.nat(2 ** 40), (a, b, c) => {
        const [start, end, total] = [Math.min(a, b), Math.max(a, b), Math.max(a, b) + 1 + c]
        expect(parseUploadRange(`bytes ${start}-${end}/${total}`, total)).toEqual({ start, end, total })
      }),
    )
  })
})

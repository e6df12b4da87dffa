import { describe, expect, it } from 'vitest'
import { appendLines, lastLines } from './log-lines.ts'

const line = (id: number | string) => ({ id: String(id), line: `line ${id}` })

describe('appendLines', () => {
  it('appends a page after the held lines and drops repeats', () => {
    expect(appendLines([line(1), line(2)], [line(2), line(3)], 10).map((l) => l.id)).toEqual(['1', '2', '3'])
  })

  it('keeps only the last `max` lines', () => {
    expect(appendLines([line(1), line(2)], [line(3), line(4)], 3).map((l) => l.id)).toEqual(['2', '3', '4'])
  })

  it('compares ids as numbers, not text (10 comes after 9)', () => {
    expect(appendLines([line(9)], [line(10)], 10).map((l) => l.id)).toEqual(['9', '10'])
  })
})

describe('lastLines', () => {
  it('returns the last lines without the trailing newline', () => {
    expect(lastLines('a\nb\nc\n', 2)).toEqual(['b', 'c'])
    expect(lastLines('only', 5)).toEqual(['only'])
  })
})

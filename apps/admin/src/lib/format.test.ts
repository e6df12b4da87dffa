import { describe, expect, it } from 'vitest'
import { formatAge, formatBytes, formatDateTime, formatDuration, formatUsd, shortSha } from './format.ts'

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [15 * 1024 * 1024, '15.0 MiB'],
    [3 * 1024 ** 4, '3.00 TiB'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text))
})

describe('formatUsd', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    [0, '$0.00'],
    [0.0012, '$0.0012'],
    [0.5, '$0.5000'],
    [1, '$1.00'],
    [12.345, '$12.35'],
  ])('%s → %s', (amount, text) => expect(formatUsd(amount)).toBe(text))
})

describe('formatDuration and formatAge', () => {
  it.each([
    [0, '0s'],
    [42.9, '42s'],
    [60, '1m'],
    [303, '5m 3s'],
    [3600, '1h'],
    [3 * 3600 + 4 * 60 + 5, '3h 4m'],
    [2 * 86_400 + 3 * 3600, '2d 3h'],
    [7 * 86_400, '7d'],
    [-5, '0s'],
  ])('%d s → %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text))

  it('measures age from an ISO string to now, never negative', () => {
    const now = Date.parse('2026-01-01T12:00:00Z')
    expect(formatAge('2026-01-01T11:58:30Z', now)).toBe('1m 30s')
    expect(formatAge('2026-01-01T12:00:10Z', now)).toBe('0s')
    expect(formatAge('not a date', now)).toBe('—')
  })
})

describe('formatDateTime and shortSha', () => {
  it('prints local time in a sortable, locale-free shape', () => {
    expect(formatDateTime('2026-03-04T05:06:07Z')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('nonsense')).toBe('—')
  })

  it('shortens a sha256 for tables', () => {
    expect(shortSha('a'.repeat(64))).toBe('a'.repeat(12))
    expect(shortSha(null)).toBe('—')
  })
})

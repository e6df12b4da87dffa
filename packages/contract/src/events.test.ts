import { describe, expect, it } from 'vitest'
import { isServerEventKind, ReportKindSchema, SERVER_EVENT_KINDS } from './events.ts'

describe('event kinds', () => {
  it('tells the server’s kinds from a pod’s', () => {
    expect(SERVER_EVENT_KINDS.every(isServerEventKind)).toBe(true)
    expect(isServerEventKind('download_complete')).toBe(false)
    expect(ReportKindSchema.parse('download_complete')).toBe('download_complete')
    expect(() => ReportKindSchema.parse('pod_terminated')).toThrow(/only the server writes/)
    expect(() => ReportKindSchema.parse('x'.repeat(65))).toThrow(/lower_snake_case/)
  })
})

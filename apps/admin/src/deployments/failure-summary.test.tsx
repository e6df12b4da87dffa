import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { DeploymentEvent } from '../lib/api-types.ts'
import { FailureSummary, failureTail } from './failure-summary.tsx'

const event = (id: string, status: DeploymentEvent['status'], data: Record<string, unknown> | null = null): DeploymentEvent => ({
  id,
  at: '2026-01-01T00:00:00.000Z',
  kind: 'status',
  status,
  message: null,
  data,
})
const logs = [1, 2, 3].map((n) => ({ id: String(n), at: '2026-01-01T00:00:00.000Z', line: `stored ${n}` }))

describe('failureTail', () => {
  it("prefers the failed status event's logTail", () => {
    const events = [event('1', 'training'), event('2', 'failed', { logTail: 'x\nboom\n' })]
    expect(failureTail(events, logs)).toEqual(['x', 'boom'])
  })

  it('falls back to the last stored log lines', () => {
    expect(failureTail([event('1', 'failed', { exitCode: 3 })], logs)).toEqual(['stored 1', 'stored 2', 'stored 3'])
    expect(failureTail(undefined, [])).toEqual([])
  })
})

describe('FailureSummary', () => {
  it('shows the reason, the message, the exit code and the tail', () => {
    const html = renderToStaticMarkup(
      <FailureSummary
        deployment={{ failureReason: 'training_failed', failureMessage: 'training command exited with code 3' }}
        events={[event('9', 'failed', { exitCode: 3, logTail: 'CUDA error' })]}
        logLines={[]}
      />,
    )
    expect(html).toContain('Training failed')
    expect(html).toContain('training command exited with code 3')
    expect(html).toContain('Exit code 3')
    expect(html).toContain('CUDA error')
  })
})

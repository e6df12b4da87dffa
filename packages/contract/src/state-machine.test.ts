import { describe, expect, it } from 'vitest'
import { DEPLOYMENT_STATUSES, isTerminal, LIVE_STATUSES } from './lifecycle.ts'
import { canTransition, legalSources } from './state-machine.ts'

describe('deployment state machine', () => {
  it('walks the happy path forward', () => {
    const path = ['pending', 'provisioning', 'starting', 'downloading', 'training', 'succeeded'] as const
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true)
  })

  it('never leaves a terminal status and never goes back', () => {
    for (const from of DEPLOYMENT_STATUSES) {
      for (const to of DEPLOYMENT_STATUSES) {
        if (isTerminal(from)) expect(canTransition(from, to)).toBe(false)
      }
    }
    expect(canTransition('training', 'downloading')).toBe(false)
    expect(canTransition('starting', 'starting')).toBe(false)
  })

  it('allows failed and cancelled from any live status, succeeded only after training', () => {
    for (const from of LIVE_STATUSES) {
      expect(canTransition(from, 'failed')).toBe(true)
      expect(canTransition(from, 'cancelled')).toBe(true)
    }
    expect(legalSources('succeeded')).toEqual(['training'])
    expect(canTransition('provisioning', 'downloading')).toBe(true)
    expect(legalSources('provisioning')).toEqual(['pending'])
    expect(legalSources('failed')).toEqual([...LIVE_STATUSES])
  })
})

import { DEPLOYMENT_STATUSES, LIVE_STATUSES } from '@podlaunch/contract'
import { describe, expect, it } from 'vitest'
import { failureLabel, statusFilterValue, statusTone } from './status.ts'

describe('status badges', () => {
  it('gives every status a tone: waiting, active, then one per ending', () => {
    expect(Object.fromEntries(DEPLOYMENT_STATUSES.map((s) => [s, statusTone(s)]))).toEqual({
      pending: 'waiting',
      provisioning: 'waiting',
      starting: 'active',
      downloading: 'active',
      training: 'active',
      succeeded: 'success',
      failed: 'danger',
      cancelled: 'muted',
    })
  })

  it('labels failure reasons for people and leaves none blank', () => {
    expect(failureLabel('training_failed')).toBe('Training failed')
    expect(failureLabel('no_capacity')).toBe('No GPU capacity')
    expect(failureLabel(null)).toBe('')
  })

  it('maps the filter choices to the list query', () => {
    expect(statusFilterValue('all')).toBeUndefined()
    expect(statusFilterValue('live')).toEqual([...LIVE_STATUSES])
    expect(statusFilterValue('failed')).toEqual(['failed'])
  })
})

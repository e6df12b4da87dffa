import { describe, expect, it } from 'vitest'
import { DEPLOYMENT_STATUSES, failureLabel, isLive, statusFilterValue, statusTone } from './status.ts'

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

  it('treats succeeded, failed and cancelled as the only ends', () => {
    expect(DEPLOYMENT_STATUSES.filter((s) => !isLive(s))).toEqual(['succeeded', 'failed', 'cancelled'])
  })

  it('labels failure reasons for people and leaves none blank', () => {
    expect(failureLabel('training_failed')).toBe('Training failed')
    expect(failureLabel('no_capacity')).toBe('No GPU capacity')
    expect(failureLabel(null)).toBe('')
  })

  it('maps the filter choices to the list query', () => {
    expect(statusFilterValue('all')).toBeUndefined()
    expect(statusFilterValue('live')).toEqual(['pending', 'provisioning', 'starting', 'downloading', 'training'])
    expect(statusFilterValue('failed')).toEqual(['failed'])
  })
})

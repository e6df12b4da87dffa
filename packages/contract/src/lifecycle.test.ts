import { describe, expect, it } from 'vitest'
import { DEPLOYMENT_STATUSES, isLive, isTerminal, LIVE_STATUSES, TERMINAL_STATUSES } from './lifecycle.ts'

describe('lifecycle vocabulary', () => {
  it('splits every status into live or terminal, terminal ones last', () => {
    expect(DEPLOYMENT_STATUSES.filter(isTerminal)).toEqual([...TERMINAL_STATUSES])
    expect(LIVE_STATUSES).toEqual(['pending', 'provisioning', 'starting', 'downloading', 'training'])
    expect(DEPLOYMENT_STATUSES.filter(isLive)).toEqual([...LIVE_STATUSES])
    expect(DEPLOYMENT_STATUSES.slice(-TERMINAL_STATUSES.length)).toEqual([...TERMINAL_STATUSES])
  })
})

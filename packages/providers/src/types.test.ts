import { describe, expect, it } from 'vitest'
import { POD_NAME_PREFIX, ProviderError, deploymentIdFromPodName, podName } from './types.ts'

describe('pod names', () => {
  it('carry the deployment id both ways', () => {
    expect(podName('abc-123')).toBe(`${POD_NAME_PREFIX}abc-123`)
    expect(deploymentIdFromPodName(podName('abc-123'))).toBe('abc-123')
    expect(deploymentIdFromPodName('podlaunch-')).toBeUndefined()
    expect(deploymentIdFromPodName('someone-else')).toBeUndefined()
  })
})

describe('ProviderError', () => {
  it('maps every code to a deployment failure reason', () => {
    expect(new ProviderError('no_capacity', 'x').reason).toBe('no_capacity')
    for (const code of ['provider_error', 'rate_limited', 'invalid_request', 'aborted'] as const) {
      expect(new ProviderError(code, 'x').reason).toBe('provider_error')
    }
  })
})

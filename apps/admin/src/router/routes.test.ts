import { describe, expect, it } from 'vitest'
import { appPath, hrefOf, mountedBasePath, parseRoute } from './routes.ts'

const id = '0b0f5a52-3c1e-4c56-9c59-3e3b8d0e8a11'

describe('routes', () => {
  it.each([
    ['/', { name: 'deployments' }],
    ['/deployments/', { name: 'deployments' }],
    ['/deployments/new', { name: 'new-deployment' }],
    [`/deployments/${id}`, { name: 'deployment', id }],
    [`/deployments/${id.toUpperCase()}`, { name: 'deployment', id }],
    ['/datasets', { name: 'datasets' }],
    ['/api-keys', { name: 'api-keys' }],
    ['/deployments/not-an-id', { name: 'not-found', path: '/deployments/not-an-id' }],
  ])('%s', (path, route) => expect(parseRoute(path)).toEqual(route))

  it('round-trips every route through its href', () => {
    for (const route of [
      { name: 'deployments' },
      { name: 'new-deployment' },
      { name: 'deployment', id },
      { name: 'datasets' },
      { name: 'api-keys' },
    ] as const) {
      expect(parseRoute(hrefOf(route))).toEqual(route)
    }
  })

  it('reads the app path below the basePath the server mounts it under', () => {
    expect(appPath('/api/podlaunch/deployments/new', '/api/podlaunch')).toBe('/deployments/new')
    expect(appPath('/api/podlaunch', '/api/podlaunch')).toBe('/')
    expect(appPath('/deployments', '')).toBe('/deployments')
    expect(parseRoute(appPath(`/api/podlaunch${hrefOf({ name: 'deployment', id })}`, '/api/podlaunch'))).toEqual({ name: 'deployment', id })
  })

  it('takes the basePath from the meta tag the server writes, and none without it', () => {
    const doc = (content?: string) => ({
      querySelector: () => (content === undefined ? null : ({ content } as never)),
    })
    expect(mountedBasePath(doc('/api/podlaunch'))).toBe('/api/podlaunch')
    expect(mountedBasePath(doc())).toBe('')
  })
})

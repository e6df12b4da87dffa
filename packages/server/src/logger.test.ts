import { describe, expect, it } from 'vitest'
import { redactUrl } from './logger.ts'

describe('redactUrl', () => {
  it.each([
    ['/v1/datasets/download?token=eyJ.a.b', '/v1/datasets/download?token=[REDACTED]'],
    ['/x?a=1&TOKEN=secret&b=2', '/x?a=1&TOKEN=[REDACTED]&b=2'],
    ['/x?%74oken=secret', '/x?%74oken=[REDACTED]'],
    ['/x?access_token=secret#frag', '/x?access_token=[REDACTED]#frag'],
    ['/x?tokens=keep', '/x?tokens=keep'],
    ['/healthz', '/healthz'],
    ['/x?%zz=1', '/x?%zz=1'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected)
  })
})

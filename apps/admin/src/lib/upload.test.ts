import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { percentOf, sameOriginUrl, sha256OfFile } from './upload.ts'

describe('upload helpers', () => {
  it('hashes a small file like sha256sum does', async () => {
    const text = 'a,b\n1,2\n'
    expect(await sha256OfFile(new Blob([text]))).toBe(createHash('sha256').update(text).digest('hex'))
  })

  it('skips hashing files at or over the limit', async () => {
    expect(await sha256OfFile(new Blob(['12345']), 5)).toBeUndefined()
  })

  it('sends the upload to the page origin, whatever public URL the server was configured with', () => {
    expect(sameOriginUrl('http://127.0.0.1:0/v1/datasets/abc/content', 'https://admin.example')).toBe(
      'https://admin.example/v1/datasets/abc/content',
    )
    expect(sameOriginUrl('/v1/datasets/abc/content?x=1', 'http://localhost:5173')).toBe('http://localhost:5173/v1/datasets/abc/content?x=1')
  })

  it('turns bytes sent into a whole percent, capped at 100', () => {
    expect(percentOf(0, 200)).toBe(0)
    expect(percentOf(50, 200)).toBe(25)
    expect(percentOf(300, 200)).toBe(100)
    expect(percentOf(0, 0)).toBe(100)
  })
})

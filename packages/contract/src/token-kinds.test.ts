import { describe, expect, it } from 'vitest'
import { TOKEN_KINDS } from './token-kinds.ts'

describe('token kinds', () => {
  it('give every kind its own typ and audience, and a required subject claim', () => {
    const kinds = Object.values(TOKEN_KINDS)
    expect(new Set(kinds.map((kind) => kind.typ)).size).toBe(kinds.length)
    expect(new Set(kinds.map((kind) => kind.audience)).size).toBe(kinds.length)
    for (const kind of kinds) expect((kind.claims as Record<string, string>)[kind.subjectClaim]).toBe('required')
  })
})

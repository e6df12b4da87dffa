import { spawnSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bashValue, withNul } from '../test/arbitraries.ts'
import { ScriptError, shellQuote } from './shell-quote.ts'

/** Runs one bash process that prints every quoted value NUL-terminated. */
function echoThroughBash(values: string[]): string[] {
  const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n')
  const r = spawnSync('bash', ['-s'], { input: script, maxBuffer: 256 * 1024 * 1024 })
  expect(r.status, r.stderr.toString()).toBe(0)
  const parts = r.stdout.toString('utf8').split('\0')
  expect(parts.pop()).toBe('')
  return parts
}

describe('shellQuote', () => {
  it('wraps in single quotes and escapes single quotes', () => {
    expect(shellQuote('')).toBe("''")
    expect(shellQuote('a b')).toBe("'a b'")
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    expect(shellQuote('$(id) `id` \\')).toBe("'$(id) `id` \\'")
  })

  it('refuses NUL with a stable code', () => {
    expect(() => shellQuote('a\0b')).toThrow(ScriptError)
    expect(() => shellQuote('a\0b')).toThrow(/NUL/)
    try {
      shellQuote('\0')
    } catch (e) {
      expect((e as ScriptError).code).toBe('NUL_CHARACTER')
    }
    fc.assert(
      fc.property(withNul, (v) => {
        expect(() => shellQuote(v)).toThrow(/NUL/)
      }),
      { numRuns: 10_000 },
    )
  })

  it('round-trips 10,000 arbitrary strings through bash byte for byte (batched)', () => {
    const cases = fc.sample(bashValue, { numRuns: 10_000, seed: 42 })
    for (let i = 0; i < cases.length; i += 2_500) {
      const batch = cases.slice(i, i + 2_500)
      const out = echoThroughBash(batch)
      expect(out.length).toBe(batch.length)
      batch.forEach((v, j) => {
        if (out[j] !== v) expect({ index: i + j, got: out[j] }).toEqual({ index: i + j, got: v })
      })
    }
  })

  it('round-trips with shrinking on a smaller property', () => {
    fc.assert(
      fc.property(fc.array(bashValue, { minLength: 1, maxLength: 20 }), (vs) => {
        expect(echoThroughBash(vs)).toEqual(vs)
      }),
      { numRuns: 100 },
    )
  })
})

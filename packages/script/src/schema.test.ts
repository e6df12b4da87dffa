import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bashValue } from '../test/arbitraries.ts'
import { BootstrapSpecSchema, EnvSchema, FilePathSchema, InlineFileSchema, LIMITS } from './schema.ts'

const messages = (input: unknown): string[] => {
  const r = BootstrapSpecSchema.safeParse(input)
  return r.success ? [] : r.error.issues.map((i) => i.message)
}

describe('BootstrapSpecSchema', () => {
  it('fills documented defaults', () => {
    expect(BootstrapSpecSchema.parse({ trainCommand: 'python train.py' })).toEqual({
      trainCommand: 'python train.py',
      files: [],
      env: {},
      workdir: '/workspace',
      datasetFilename: 'dataset',
      keepAliveSeconds: 3600,
      heartbeatSeconds: 30,
      shipIntervalSeconds: 10,
      onFinish: 'wait',
    })
  })

  it('normalises file modes to numbers', () => {
    expect(InlineFileSchema.parse({ path: 'a', content: '' }).mode).toBe(0o644)
    expect(InlineFileSchema.parse({ path: 'a', content: '', mode: '0755' }).mode).toBe(0o755)
    expect(InlineFileSchema.parse({ path: 'a', content: '', mode: '600' }).mode).toBe(0o600)
    expect(InlineFileSchema.parse({ path: 'a', content: '', mode: 0o640 }).mode).toBe(0o640)
    expect(InlineFileSchema.safeParse({ path: 'a', content: '', mode: '0999' }).success).toBe(false)
    expect(InlineFileSchema.safeParse({ path: 'a', content: '', mode: 0o4755 }).success).toBe(false)
  })

  it('refuses paths that escape the work directory', () => {
    for (const p of ['/etc/passwd', '../x', 'a/../../x', 'a//b', 'a/', '', 'a/./b', '.podlaunch/finished', 'a\nb', 'a\0b']) {
      expect(FilePathSchema.safeParse(p).success, p).toBe(false)
    }
    for (const p of ['a', 'cfg/train.yaml', '.hidden', 'a..b/c', 'deep/er/still.txt']) {
      expect(FilePathSchema.safeParse(p).success, p).toBe(true)
    }
  })

  it('refuses any path with a .. segment (property)', () => {
    const seg = fc.stringMatching(/^[a-z.]{1,4}$/)
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 4 }), fc.array(seg, { maxLength: 4 }), (a, b) => {
        expect(FilePathSchema.safeParse([...a, '..', ...b].join('/')).success).toBe(false)
      }),
      { numRuns: 10_000 },
    )
  })

  it('checks env names, reserved prefixes and read-only bash names', () => {
    expect(EnvSchema.safeParse({ LR: '0.1', _X1: '' }).success).toBe(true)
    expect(messages({ trainCommand: 'x', env: { lower: 'a' } }).join()).toMatch(/\^\[A-Z_\]/)
    expect(messages({ trainCommand: 'x', env: { '1A': 'a' } }).join()).toMatch(/must match/)
    expect(messages({ trainCommand: 'x', env: { PODLAUNCH_X: 'a' } }).join()).toMatch(/reserved/)
    expect(messages({ trainCommand: 'x', env: { RUNPOD_API_KEY: 'a' } }).join()).toMatch(/reserved/)
    expect(messages({ trainCommand: 'x', env: { UID: '0' } }).join()).toMatch(/read-only/)
    const many = Object.fromEntries(Array.from({ length: LIMITS.envEntries + 1 }, (_, i) => [`V${i}`, '']))
    expect(messages({ trainCommand: 'x', env: many }).join()).toMatch(/at most 256 entries/)
  })

  it('refuses NUL in every string field with a clear message', () => {
    fc.assert(
      fc.property(bashValue, bashValue, (a, b) => {
        const nul = `${a}\0${b}`
        expect(messages({ trainCommand: nul }).join()).toMatch(/trainCommand must not contain a NUL/)
        expect(messages({ trainCommand: 'x', env: { A: nul } }).join()).toMatch(/env values must not contain a NUL/)
        expect(messages({ trainCommand: 'x', files: [{ path: 'f', content: nul }] }).join()).toMatch(/file contents must not contain a NUL/)
      }),
      { numRuns: 10_000 },
    )
    expect(messages({ trainCommand: 'x', workdir: '/a\0' }).join()).toMatch(/NUL/)
    expect(messages({ trainCommand: 'x', datasetFilename: 'd\0' }).join()).toMatch(/NUL/)
  })

  it('enforces size and count limits', () => {
    expect(messages({ trainCommand: 'x'.repeat(64 * 1024 + 1) }).join()).toMatch(/at most 65536 bytes/)
    expect(messages({ trainCommand: '   ' }).join()).toMatch(/must not be empty/)
    const files = Array.from({ length: 65 }, (_, i) => ({ path: `f${i}`, content: '' }))
    expect(messages({ trainCommand: 'x', files }).join()).toMatch(/at most 64 files/)
    const big = [
      { path: 'a', content: 'x'.repeat(600_000) },
      { path: 'b', content: 'y'.repeat(600_000) },
    ]
    expect(messages({ trainCommand: 'x', files: big }).join()).toMatch(/total at most 1048576 bytes/)
    expect(
      messages({
        trainCommand: 'x',
        files: [
          { path: 'a', content: '' },
          { path: 'a', content: '' },
        ],
      }).join(),
    ).toMatch(/unique/)
    expect(
      messages({
        trainCommand: 'x',
        files: [
          { path: 'a', content: '' },
          { path: 'a/b', content: '' },
        ],
      }).join(),
    ).toMatch(/under another/)
  })

  it('checks workdir, dataset name and seconds', () => {
    expect(messages({ trainCommand: 'x', workdir: 'rel' }).join()).toMatch(/absolute/)
    expect(messages({ trainCommand: 'x', workdir: '/a/../b' }).join()).toMatch(/\.\./)
    expect(messages({ trainCommand: 'x', datasetFilename: 'a/b' }).join()).toMatch(/plain/)
    expect(messages({ trainCommand: 'x', datasetFilename: 'podlaunch.log' }).join()).toMatch(/reserved/)
    expect(messages({ trainCommand: 'x', heartbeatSeconds: 0 }).join()).toMatch(/heartbeatSeconds must be at least 1/)
    expect(messages({ trainCommand: 'x', shipIntervalSeconds: 1.5 }).join()).toMatch(/whole number/)
    expect(messages({ trainCommand: 'x', maxRuntimeSeconds: 31 * 24 * 3600 }).join()).toMatch(/at most/)
    expect(messages({ trainCommand: 'x', keepAliveSeconds: -1 }).join()).toMatch(/at least 0/)
    expect(messages({ trainCommand: 'x', onFinish: 'stop' }).join()).toMatch(/"wait" or "exit"/)
  })
})

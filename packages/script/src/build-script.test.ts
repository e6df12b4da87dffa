import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM helper without types
import { renderRuntimeModule } from '../scripts/gen-runtime.mjs'
import { buildBootstrapScript, DEFAULT_IMAGE, sha256Hex } from './index.ts'
import { RUNTIME_SH } from './runtime-sh.ts'
import type { BootstrapSpecInput } from './index.ts'

const srcDir = fileURLToPath(new URL('.', import.meta.url))

const SPECS: Record<string, BootstrapSpecInput> = {
  minimal: { trainCommand: 'python train.py' },
  full: {
    trainCommand: "python train.py --name 'it''s' --out \"$OUT\" $(echo x) `id`\nsecond line",
    files: [
      { path: 'configs/train.yaml', content: 'lr: 0.1\nname: "x"\n', mode: '0600' },
      { path: 'run.sh', content: "#!/bin/sh\necho '$HOME' `id` \\\n", mode: 0o755 },
    ],
    env: { Z_LAST: 'z', LR: "0.1'; rm -rf / #", EMPTY: '', MULTI: 'a\nb\tc\u00e9\u{1F600}' },
    workdir: '/data/job one',
    datasetFilename: 'train.tar.gz',
    keepAliveSeconds: 60,
    heartbeatSeconds: 5,
    shipIntervalSeconds: 2,
    maxRuntimeSeconds: 7200,
    onFinish: 'exit',
    artifacts: { paths: ['output', "runs/it's here"] },
  },
  metachars: { trainCommand: '$(rm -rf /); `x`; ${PATH}; \\; "', env: { A: "'''", B: '$(id)' } },
}

describe('buildBootstrapScript', () => {
  it('is deterministic and ignores env key order', () => {
    const a = buildBootstrapScript({ trainCommand: 'x', env: { A: '1', B: '2' } })
    expect(buildBootstrapScript({ trainCommand: 'x', env: { B: '2', A: '1' } })).toBe(a)
    for (const spec of Object.values(SPECS)) expect(buildBootstrapScript(spec)).toBe(buildBootstrapScript(spec))
  })

  // Only the builder's own output is snapshotted (header, protocol budgets, spec settings,
  // pl_user_env, pl_write_files); the runtime after it is src/bash as generated, checked below.
  it('matches the reviewed prelude, followed by the runtime and the call of main', async () => {
    for (const name of ['full', 'minimal'] as const) {
      const script = buildBootstrapScript(SPECS[name]!)
      const at = script.indexOf(RUNTIME_SH)
      expect(at).toBeGreaterThan(0)
      expect(script.slice(at)).toBe(`${RUNTIME_SH}\n\npl_main "$@"\n`)
      await expect(script.slice(0, at)).toMatchFileSnapshot(`./__snapshots__/${name}-spec-prelude.sh`)
    }
  })

  it('starts fail-fast and calls main on its last line', () => {
    const s = buildBootstrapScript(SPECS.minimal!)
    expect(s.startsWith('#!/usr/bin/env bash\n')).toBe(true)
    expect(s).toContain('\nset -Eeuo pipefail\n')
    expect(s.endsWith('\npl_main "$@"\n')).toBe(true)
  })

  it('passes bash -n for every spec', () => {
    for (const [name, spec] of Object.entries(SPECS)) {
      const r = spawnSync('bash', ['-n'], { input: buildBootstrapScript(spec) })
      expect(r.status, `${name}: ${r.stderr.toString()}`).toBe(0)
    }
  })

  it('passes shellcheck at its default severity', (ctx) => {
    const probe = spawnSync('shellcheck', ['--version'])
    if (probe.error) {
      if (process.env.CI === 'true') throw new Error('shellcheck is required under CI=true but was not found on PATH')
      console.warn('shellcheck not found on PATH: skipping the shellcheck test (install it; CI=true makes this fail)')
      ctx.skip()
    }
    for (const [name, spec] of Object.entries(SPECS)) {
      const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: buildBootstrapScript(spec) })
      expect(r.stdout.toString() + r.stderr.toString(), name).toBe('')
      expect(r.status, name).toBe(0)
    }
  })

  it('embeds an up-to-date copy of src/bash/*.sh', () => {
    expect(readFileSync(`${srcDir}/runtime-sh.ts`, 'utf8')).toBe(renderRuntimeModule(srcDir))
  })

  it('holds no secret-looking value and no raw spec value', () => {
    const s = buildBootstrapScript({ trainCommand: 'echo SENTINEL_CMD', env: { K: 'SENTINEL_VAL' } })
    expect(s).toContain("PL_TRAIN_COMMAND='echo SENTINEL_CMD'")
    expect(s).toContain("export K='SENTINEL_VAL'")
    expect(s).not.toMatch(/Bearer [A-Za-z0-9]/)
  })

  it('throws the zod error on invalid specs', () => {
    expect(() => buildBootstrapScript({ trainCommand: 'x\0' })).toThrow(/NUL/)
  })
})

describe('package purity', () => {
  it('has no node: imports outside tests', () => {
    const files = readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    expect(files.length).toBeGreaterThan(3)
    for (const f of files) expect(readFileSync(`${srcDir}/${f}`, 'utf8'), f).not.toMatch(/from ['"]node:/)
  })
})

describe('sha256Hex', () => {
  it('matches node:crypto for scripts and unicode text', async () => {
    for (const text of ['', 'abc', buildBootstrapScript(SPECS.full!), '\u00e9\u{1F600}']) {
      expect(await sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'))
    }
    expect(DEFAULT_IMAGE).toBe('runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04')
  })
})

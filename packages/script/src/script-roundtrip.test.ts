// Values travel through the real generated script: its pl_user_env,
// pl_write_files and PL_TRAIN_COMMAND, driven by a small entry point in place
// of pl_main so that 10,000 cases fit in a few dozen bash runs.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { bashValue } from '../test/arbitraries.ts'
import { removeTempDirs, tempDir } from '../test/harness.ts'
import { utf8Bytes } from '@podlaunch/contract'
import { buildBootstrapScript, LIMITS, shellQuote } from './index.ts'
import type { BootstrapSpecInput } from './index.ts'

afterAll(() => removeTempDirs())

const DRIVER = `
PL_WORKDIR=$1
pl_write_files >/dev/null
( pl_user_env; env -0 ) >"$1/env.out"
bash -c "$PL_TRAIN_COMMAND" >"$1/args.out"
`

function runGenerated(spec: BootstrapSpecInput): string {
  const dir = tempDir()
  const script = buildBootstrapScript(spec).replace(/pl_main "\$@"\n$/, DRIVER)
  // From a file: bash reads a script on stdin one byte at a time.
  writeFileSync(join(dir, 'script.sh'), script)
  const r = spawnSync('bash', [join(dir, 'script.sh'), dir], { env: { PATH: process.env.PATH } })
  expect(r.status, r.stderr.toString()).toBe(0)
  return dir
}

const nulSplit = (b: Buffer): string[] => {
  const parts = b.toString('utf8').split('\0')
  expect(parts.pop()).toBe('')
  return parts
}

function readEnv(dir: string): Map<string, string> {
  return new Map(nulSplit(readFileSync(join(dir, 'env.out'))).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
}

/** Groups cases so each batch respects one spec limit (entries and bytes). */
function batches(cases: string[], maxItems: number, maxBytes: number, cost = (s: string) => utf8Bytes(s)): string[][] {
  const out: string[][] = []
  let cur: string[] = []
  let bytes = 0
  for (const c of cases) {
    if (cur.length >= maxItems || bytes + cost(c) > maxBytes) {
      out.push(cur)
      cur = []
      bytes = 0
    }
    cur.push(c)
    bytes += cost(c)
  }
  if (cur.length) out.push(cur)
  return out
}

const sample = (seed: number) => fc.sample(bashValue, { numRuns: 10_000, seed })

describe('values come out of the executed script byte for byte', () => {
  it('10,000 env values', () => {
    for (const batch of batches(sample(1), LIMITS.envEntries, Number.POSITIVE_INFINITY)) {
      const env = Object.fromEntries(batch.map((v, i) => [`V${i}`, v]))
      const got = readEnv(runGenerated({ trainCommand: 'true', env }))
      batch.forEach((v, i) => expect(got.get(`V${i}`), `V${i}`).toBe(v))
    }
  }, 60_000)

  it('10,000 file contents', () => {
    for (const batch of batches(sample(2), LIMITS.files, LIMITS.filesTotalBytes)) {
      const files = batch.map((content, i) => ({ path: `d${i % 3}/f${i}.txt`, content }))
      const dir = runGenerated({ trainCommand: 'true', files })
      batch.forEach((v, i) => expect(readFileSync(join(dir, `d${i % 3}/f${i}.txt`), 'utf8'), `file ${i}`).toBe(v))
    }
  }, 60_000)

  it('10,000 train-command arguments', () => {
    const cost = (s: string) => utf8Bytes(shellQuote(s)) + 1
    for (const batch of batches(sample(3), 5_000, LIMITS.trainCommandBytes - 64, cost)) {
      const trainCommand = `printf '%s\\0' ${batch.map(shellQuote).join(' ')}`
      const got = nulSplit(readFileSync(join(runGenerated({ trainCommand }), 'args.out')))
      expect(got.length).toBe(batch.length)
      batch.forEach((v, i) => expect(got[i], `arg ${i}`).toBe(v))
    }
  })

  it('all three at once, with shrinking', () => {
    fc.assert(
      fc.property(bashValue, bashValue, bashValue, (envValue, content, arg) => {
        const dir = runGenerated({
          trainCommand: `printf '%s\\0' ${shellQuote(arg)}`,
          env: { VALUE: envValue },
          files: [{ path: 'x/y.txt', content }],
        })
        expect(readEnv(dir).get('VALUE')).toBe(envValue)
        expect(readFileSync(join(dir, 'x/y.txt'), 'utf8')).toBe(content)
        expect(nulSplit(readFileSync(join(dir, 'args.out')))).toEqual([arg])
      }),
      { numRuns: 100 },
    )
  }, 60_000)
})

// The README's configuration table against the code: the same variables, the same defaults.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { DEFAULT_RUNPOD_URL } from '@podlaunch/providers'
import { describe, expect, it } from 'vitest'
import { ENV_VARIABLES, parseEnv } from './env.ts'
import { createPodlaunch, silentLogger } from '@podlaunch/server'
import { podlaunchOptionsOf } from './podlaunch-options.ts'

const README = new URL('../../../README.md', import.meta.url)
const CWD = '/srv/app'

/** `| `NAME` | default | meaning |` rows of the README's "Configuration" section. */
function readmeTable(): Map<string, string> {
  const text = readFileSync(README, 'utf8')
  const section = text.split(/^## /m).find((part) => part.startsWith('Configuration'))
  if (section === undefined) throw new Error('README.md has no "## Configuration" section')
  const rows = new Map<string, string>()
  for (const match of section.matchAll(/^\| `([A-Z_]+)` +\| ([^|]+) \|/gm)) rows.set(match[1]!, match[2]!.trim())
  return rows
}

/** What a default cell means: `unset`, a value in backticks, or a size in GiB. */
function readmeValue(cell: string, port: number, host: string): unknown {
  if (cell === 'unset') return undefined
  const gib = /^(\d+) GiB$/.exec(cell)
  if (gib) return Number(gib[1]) * 1024 ** 3
  const code = /^`([^`]+)`$/.exec(cell)
  if (!code) throw new Error(`cannot read the default "${cell}"`)
  const value = code[1]!.replace('HOST', host).replace('PORT', String(port))
  return /^\d+$/.test(value) ? Number(value) : value
}

/** The library's settings as the running server would take them (nothing is opened). */
function configOf(env: ReturnType<typeof parseEnv>, port: number) {
  return createPodlaunch({ ...podlaunchOptionsOf(env, port), logger: silentLogger() }).config
}

/** Each variable's effective default, as the running server would take it with nothing set. */
function codeDefaults(): Record<string, unknown> {
  const env = parseEnv({}, CWD)
  const config = configOf(env, env.PORT)
  return {
    PORT: env.PORT,
    HOST: env.HOST,
    DATABASE_URL: env.DATABASE_URL,
    PODLAUNCH_DATA_DIR: relative(CWD, config.dataDir),
    PODLAUNCH_PUBLIC_URL: config.publicUrl,
    PODLAUNCH_ADMIN_API_KEY: env.PODLAUNCH_ADMIN_API_KEY,
    LOG_LEVEL: env.LOG_LEVEL,
    PODLAUNCH_SIGNING_KEY: env.PODLAUNCH_SIGNING_KEY,
    PODLAUNCH_VERIFICATION_KEYS: env.PODLAUNCH_VERIFICATION_KEYS,
    PODLAUNCH_MAX_DATASET_BYTES: config.maxDatasetBytes,
    PODLAUNCH_DEFAULT_PROVIDER: config.deployments.defaultProvider,
    PODLAUNCH_RUNPOD_API_KEY: env.PODLAUNCH_RUNPOD_API_KEY,
    // Unset, the runpod provider takes its own default base URL.
    PODLAUNCH_RUNPOD_URL: env.PODLAUNCH_RUNPOD_URL ?? DEFAULT_RUNPOD_URL,
    PODLAUNCH_RECONCILE_INTERVAL_SECONDS: config.reconcileIntervalSeconds,
    PODLAUNCH_HEARTBEAT_SECONDS: config.deployments.heartbeatSeconds,
    PODLAUNCH_SHIP_INTERVAL_SECONDS: config.deployments.shipIntervalSeconds,
    PODLAUNCH_PENDING_GRACE_SECONDS: config.deployments.pendingGraceSeconds,
  }
}

describe("the README's configuration table", () => {
  it('lists exactly the variables env.ts reads', () => {
    expect([...readmeTable().keys()].sort()).toEqual([...ENV_VARIABLES].sort())
    expect(Object.keys(codeDefaults()).sort()).toEqual([...ENV_VARIABLES].sort())
  })

  it("gives each variable the code's default", () => {
    const env = parseEnv({}, CWD)
    const defaults = codeDefaults()
    for (const [name, cell] of readmeTable()) {
      expect(readmeValue(cell, env.PORT, env.HOST), name).toEqual(defaults[name])
    }
  })

  it('leaves library settings undefined when unset, so the library decides them', () => {
    const env = parseEnv({}, CWD)
    const library = [
      'PODLAUNCH_DATA_DIR',
      'PODLAUNCH_MAX_DATASET_BYTES',
      'PODLAUNCH_DEFAULT_PROVIDER',
      'PODLAUNCH_RUNPOD_URL',
      'PODLAUNCH_RECONCILE_INTERVAL_SECONDS',
      'PODLAUNCH_HEARTBEAT_SECONDS',
      'PODLAUNCH_SHIP_INTERVAL_SECONDS',
      'PODLAUNCH_PENDING_GRACE_SECONDS',
    ] as const
    for (const name of library) expect(env[name], name).toBeUndefined()
    const set = configOf(parseEnv({ PODLAUNCH_HEARTBEAT_SECONDS: '7', PODLAUNCH_RECONCILE_INTERVAL_SECONDS: '9' }, CWD), 3000)
    expect(set.deployments.heartbeatSeconds).toBe(7)
    expect(set.reconcileIntervalSeconds).toBe(9)
    expect(set.deployments.shipIntervalSeconds).toBe(codeDefaults()['PODLAUNCH_SHIP_INTERVAL_SECONDS'])
  })
})

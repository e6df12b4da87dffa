// Runs the real server process (tsx src/main.ts) the way `pnpm start` does.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestDatabase, type TestDatabase } from '@podlaunch/db/testing'
import { afterEach, describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const usingPostgres = Boolean(process.env.DATABASE_URL)

interface Started {
  child: ChildProcess
  url: string
  output: () => string
}

let children: ChildProcess[] = []
let cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  await Promise.all(cleanups.map((cleanup) => cleanup()))
  children = []
  cleanups = []
})

function run(env: Record<string, string>) {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }
  const child = spawn(join(appDir, 'node_modules/.bin/tsx'), ['src/main.ts'], { cwd: appDir, env: { ...base, ...env } })
  children.push(child)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { child, output: () => output }
}

async function startAndWait(env: Record<string, string>): Promise<Started> {
  const { child, output } = run({ PORT: '0', ...env })
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const match = output().match(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/)
    if (match?.[1]) return { child, url: match[1], output }
    if (child.exitCode !== null) throw new Error(`server exited early: ${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`server did not start: ${output()}`)
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  return code as number
}

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'podlaunch-app-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function databaseEnv(): Promise<Record<string, string>> {
  if (!usingPostgres) return {}
  const database: TestDatabase = await createTestDatabase({ migrate: false })
  cleanups.push(() => database.close())
  return { DATABASE_URL: database.url! }
}

async function me(url: string, key: string) {
  return fetch(`${url}/trpc/me`, { headers: { authorization: `Bearer ${key}` } })
}

describe(`the server process (${usingPostgres ? 'DATABASE_URL' : 'embedded PGlite'})`, () => {
  it('starts on a fresh data directory, generates an admin key once, keeps it valid on restart', async () => {
    const dir = await dataDir()
    const env = { PODLAUNCH_DATA_DIR: dir, ...(await databaseEnv()) }
    const first = await startAndWait(env)
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200)

    const keyFile = join(dir, 'admin-api-key')
    const key = (await readFile(keyFile, 'utf8')).trim()
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    expect(first.output()).toContain(key)
    expect((await me(first.url, key)).status).toBe(200)
    expect(await stop(first.child)).toBe(0)

    const second = await startAndWait(env)
    expect((await me(second.url, key)).status).toBe(200)
    expect(second.output()).not.toContain('Admin API key')
    expect(await stop(second.child)).toBe(0)
  }, 120_000)

  it('uses the admin key from the environment and never logs keys or download tokens', async () => {
    const key = `pl_${'k'.repeat(43)}`
    const server = await startAndWait({ PODLAUNCH_DATA_DIR: await dataDir(), PODLAUNCH_ADMIN_API_KEY: key, ...(await databaseEnv()) })
    expect((await me(server.url, key)).status).toBe(200)
    await fetch(`${server.url}/v1/datasets/download?token=eyJsecret.token.value`, { headers: { authorization: `Bearer ${key}` } })
    await stop(server.child)
    expect(server.output()).not.toContain(key)
    expect(server.output()).not.toContain('eyJsecret')
    expect(server.output()).toContain('token=[REDACTED]')
  }, 120_000)

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
  ])(
    'stops the start with one clear line for %o',
    async (env, name) => {
      const { child, output } = run({ PODLAUNCH_DATA_DIR: await dataDir(), ...env })
      const [code] = await once(child, 'exit')
      expect(code).toBe(2)
      expect(output().trim().split('\n')).toEqual([expect.stringContaining(`invalid configuration: ${name}`)])
    },
    60_000,
  )
})

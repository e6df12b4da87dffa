// The published packages, used from outside this repository: packed, installed with npm into an
// empty project, the example app type-checked under a consumer's strictest settings and run in
// plain Node against a live server.
import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalPodServer, type LocalPodServer } from '@podlaunch/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOutsideProject, npmInstall, tarballsFor, TYPES_NODE, type OutsideProject } from './outside-project.ts'
import { REPO_ROOT, run, runOk } from '@podlaunch/packaging'
import { CONFIGS, directiveLines, errorsOutsideTrpc, typecheck, unusedDirectiveLines } from './typecheck.ts'

let project: OutsideProject
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

beforeAll(async () => {
  const started = performance.now()
  project = await createOutsideProject()
  const packed = performance.now()
  const install = await npmInstall(project, [...(await tarballsFor(project, '@podlaunch/client')), TYPES_NODE])
  console.info(
    `[consumer] packed ${project.packages.length} packages in ${seconds(packed - started)}; npm installed the client in ${seconds(install.ms)}`,
  )
}, 300_000)

afterAll(async () => {
  await project?.close()
})

describe('a project that installs only @podlaunch/client', () => {
  it('has no podlaunch package but the client and the contract it depends on', async () => {
    expect((await readdir(join(project.dir, 'node_modules/@podlaunch'))).sort()).toEqual(['client', 'contract'])
  })

  it.each(CONFIGS)('type-checks strict with exactOptionalPropertyTypes ($name)', async (config) => {
    const result = await typecheck(project.dir, config)
    expect(result.stderr).toBe('')
    expect(errorsOutsideTrpc(result.stdout)).toEqual([])
    if (config.skipLibCheck) expect([result.code, result.stdout]).toEqual([0, ''])
  })

  it('fails to type-check when the router type decays to any, at every @ts-expect-error line', async () => {
    // What the client shipped before its declarations were bundled: a router type imported from
    // a package the consumer does not have, which skipLibCheck turns into `any` without a word.
    const bundle = await readFile(join(project.dir, 'node_modules/@podlaunch/client/dist/index.d.ts'), 'utf8')
    const decayed = bundle.replace(/^type ClientRouter = .*;$/m, "type ClientRouter = import('@podlaunch/server').AppRouter;")
    expect(decayed).not.toBe(bundle)
    await mkdir(join(project.dir, 'decayed'), { recursive: true })
    await writeFile(join(project.dir, 'decayed/index.d.ts'), decayed)
    const result = await typecheck(project.dir, {
      name: 'decayed',
      moduleResolution: 'bundler',
      skipLibCheck: true,
      paths: { '@podlaunch/client': ['./decayed/index.d.ts'] },
    })
    expect(result.code).not.toBe(0)
    const expected = directiveLines(await readFile(join(project.dir, 'src/router-checks.ts'), 'utf8'))
    expect(expected.length).toBeGreaterThanOrEqual(5)
    expect(unusedDirectiveLines(result.stdout, 'router-checks.ts')).toEqual(expected)
  })
})

describe('the example app in plain Node against a live server', () => {
  let server: LocalPodServer
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podlaunch-consumer-run-'))
    server = await startLocalPodServer()
  }, 120_000)

  afterAll(async () => {
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('uploads a dataset, deploys on the local provider, waits and downloads the artifact', async () => {
    const build = await typecheck(project.dir, { name: 'build', moduleResolution: 'nodenext', skipLibCheck: true, emit: true })
    expect(build.stdout + build.stderr).toBe('')
    const work = join(dir, 'work')
    await mkdir(work)
    // The local provider is for administrators.
    const admin = await server.user('consumer', true)
    const app = await runOk(process.execPath, ['dist/main.js'], {
      cwd: project.dir,
      env: { ...process.env, PODLAUNCH_URL: server.url, PODLAUNCH_API_KEY: admin.apiKey, CONSUMER_WORK_DIR: work },
    })
    console.info(`[consumer] the example app ran a deployment in ${seconds(app.ms)}`)
    const result = JSON.parse(app.stdout) as {
      status: string
      statuses: string[]
      artifact: { id: string; sizeBytes: number; sha256: string; path: string }
    }
    expect(result.status).toBe('succeeded')
    expect(result.statuses).toEqual(['provisioning', 'starting', 'downloading', 'training', 'succeeded'])

    const stored = await server.deps.db
      .selectFrom('artifacts')
      .select(['sha256', 'size_bytes'])
      .where('id', '=', result.artifact.id)
      .executeTakeFirstOrThrow()
    const bytes = await readFile(result.artifact.path)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.sha256)
    expect(bytes.length).toBe(Number(stored.size_bytes))
    const unpacked = join(dir, 'unpacked')
    await mkdir(unpacked)
    await runOk('tar', ['-x', '--zstd', '-f', result.artifact.path, '-C', unpacked], { cwd: dir })
    // The "training" counted the dataset's rows.
    expect((await readFile(join(unpacked, 'output/rows.txt'), 'utf8')).trim()).toBe('4')
  }, 180_000)
})

describe('every public package in plain Node', () => {
  it('installs from its tarball, imports every entry and migrates with the migrations it ships', async () => {
    const install = await npmInstall(project, [...project.tarballs.values()])
    console.info(`[consumer] npm installed all ${project.tarballs.size} packages in ${seconds(install.ms)}`)
    const entries = project.packages.flatMap((pkg) =>
      pkg.entries.map((entry) => (entry === '.' ? pkg.name : `${pkg.name}${entry.slice(1)}`)),
    )
    await cp(new URL('./import-all.mjs', import.meta.url), join(project.dir, 'import-all.mjs'))
    const result = await run(process.execPath, ['import-all.mjs'], {
      cwd: project.dir,
      env: { ...process.env, PODLAUNCH_ENTRIES: JSON.stringify(entries) },
    })
    expect(result.stderr).toBe('')
    const { exported, applied } = JSON.parse(result.stdout) as { exported: Record<string, number>; applied: string[] }
    expect(Object.keys(exported).sort()).toEqual([...entries].sort())
    for (const entry of entries) expect(exported[entry], entry).toBeGreaterThan(0)
    expect(applied).toEqual((await readdir(join(REPO_ROOT, 'packages/db/migrations'))).filter((name) => name.endsWith('.sql')).sort())
  }, 300_000)
})

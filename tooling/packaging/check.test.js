import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { problemsOf } from './check.js'

const MANIFEST = {
  name: '@podlaunch/example',
  version: '1.0.0',
  license: 'MIT',
  repository: { type: 'git', url: 'git+https://example.invalid/podlaunch.git' },
  engines: { node: '>=20.19' },
  files: ['dist'],
  exports: { '.': './src/index.ts' },
  publishConfig: { exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } },
}

let dirs = []
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  dirs = []
})

async function packageDir(manifest, files) {
  const dir = await mkdtemp(join(tmpdir(), 'podlaunch-package-check-'))
  dirs.push(dir)
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest))
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), content)
  }
  return dir
}

describe('problemsOf', () => {
  it('passes a built package whose published exports are all shipped', async () => {
    const dir = await packageDir(MANIFEST, { 'dist/index.js': '', 'dist/index.d.ts': '', 'src/index.ts': '' })
    expect(problemsOf(dir)).toEqual([])
  })

  it('refuses a package that was not built', async () => {
    const dir = await packageDir(MANIFEST, { 'src/index.ts': '' })
    expect(problemsOf(dir)).toEqual([
      "./dist/index.d.ts is exported but missing (run the package's build)",
      "./dist/index.js is exported but missing (run the package's build)",
    ])
  })

  it('refuses exports outside "files", TypeScript sources in the build, and a private or bare manifest', async () => {
    const { license: _license, ...unlicensed } = MANIFEST
    const manifest = { ...unlicensed, private: true, publishConfig: { exports: { '.': './lib/index.js', './x': './dist/x.js' } } }
    const dir = await packageDir(manifest, { 'lib/index.js': '', 'dist/x.js': '', 'dist/x.ts': '', 'dist/x.d.ts': '' })
    expect(problemsOf(dir)).toEqual([
      'package.json has no "license"',
      'package.json says "private": true',
      './lib/index.js is exported but not in "files"',
      'dist/x.ts is TypeScript source; Node cannot run it',
    ])
  })
})

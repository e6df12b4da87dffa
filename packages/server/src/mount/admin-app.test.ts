// The admin app served under the mount's basePath, through both adapters: index.html names the
// basePath (so the app's relative assets and API calls land under it), deep links fall back to it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADAPTERS, BASE_PATH, startMounted, type MountedServer } from './test-support.ts'

const INDEX =
  '<!doctype html><html><head><title>admin</title><script type="module" src="./assets/app-1.js"></script></head><body></body></html>'
const SCRIPT = 'console.log("admin")\n'
let server: MountedServer
let adminDir: string

beforeAll(async () => {
  adminDir = await mkdtemp(join(tmpdir(), 'podlaunch-admin-app-'))
  await mkdir(join(adminDir, 'assets'))
  await writeFile(join(adminDir, 'index.html'), INDEX)
  await writeFile(join(adminDir, 'assets', 'app-1.js'), SCRIPT)
  server = await startMounted({ adminApp: adminDir })
}, 60_000)

afterAll(async () => {
  await server.close()
  await rm(adminDir, { recursive: true, force: true })
})

describe.each(ADAPTERS)('the admin app through the %s adapter', (adapter) => {
  it.each(['/', '/deployments/new', ''])('serves index.html at the basePath + %s with the basePath written in', async (path) => {
    const res = await fetch(`${server.base(adapter)}${path}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await res.text()
    expect(html).toContain(`<head><base href="${BASE_PATH}/"><meta name="podlaunch-base-path" content="${BASE_PATH}">`)
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(html))
  })

  it('serves the assets below the basePath, immutable, and nothing outside the mount', async () => {
    const res = await fetch(`${server.base(adapter)}/assets/app-1.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('immutable')
    expect(await res.text()).toBe(SCRIPT)
    expect((await fetch(`${server.base(adapter)}/assets/missing.js`)).status).toBe(404)
    expect((await fetch(`${server.origin[adapter]}/assets/app-1.js`)).status).toBe(404)
  })
})

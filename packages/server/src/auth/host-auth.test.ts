// The host's `authenticate` hook through both adapters: a toy host session (a cookie naming the
// host's user) maps to podlaunch users, and a session cookie opens no door to other sites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADAPTERS, errorCodeOf, startMounted, type AdapterName, type MountedServer } from '../mount/test-support.ts'
import type { TestUser } from '../testing.ts'
import type { HostRequest } from './caller.ts'

const TRUSTED = 'https://admin.example'
let server: MountedServer
let alice: TestUser

/** The host's session: `session=<host user id>`; `boss` is an administrator in the host. */
function hostSession(request: HostRequest) {
  const id = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1]
  return id ? { id, name: `host ${id}`, admin: id === 'boss' } : undefined
}

beforeAll(async () => {
  server = await startMounted({ authenticate: hostSession, trustedOrigins: [TRUSTED] })
  alice = await server.user('alice')
}, 60_000)

afterAll(() => server.close())

let counter = 0
const freshId = () => `host-user-${++counter}`

async function rows(externalId: string) {
  const users = await server.database.db.selectFrom('users').select('id').where('external_id', '=', externalId).execute()
  const datasets = await server.database.db
    .selectFrom('datasets')
    .innerJoin('users', 'users.id', 'datasets.owner_id')
    .select('datasets.id')
    .where('users.external_id', '=', externalId)
    .execute()
  return { users: users.length, datasets: datasets.length }
}

function createDataset(adapter: AdapterName, headers: Record<string, string>, body?: string) {
  return fetch(`${server.base(adapter)}/trpc/datasets.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body ?? JSON.stringify({ name: 'd', filename: 'd.csv', sizeBytes: 4 }),
  })
}

describe.each(ADAPTERS)('host sessions through the %s adapter', (adapter) => {
  const sameOrigin = () => ({ origin: server.origin[adapter], 'sec-fetch-site': 'same-origin' })

  it('creates the host user on first sight and acts as it (same-origin mutation accepted)', async () => {
    const id = freshId()
    const first = await createDataset(adapter, { cookie: `session=${id}`, ...sameOrigin() })
    expect(first.status).toBe(200)
    const again = await createDataset(adapter, { cookie: `session=${id}`, ...sameOrigin() })
    expect(again.status).toBe(200)
    expect(await rows(id)).toEqual({ users: 1, datasets: 2 })
    const me = await fetch(`${server.base(adapter)}/trpc/me`, { headers: { cookie: `session=${id}` } })
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toMatchObject({ name: `host ${id}`, isAdmin: false })
  })

  it("keeps host users to their own data, and follows the host's admin flag", async () => {
    await createDataset(adapter, { authorization: `Bearer ${alice.apiKey}` })
    const list = await fetch(`${server.base(adapter)}/trpc/datasets.list?input=${encodeURIComponent('{}')}`, {
      headers: { cookie: `session=${freshId()}` },
    })
    expect(((await list.json()) as { result: { data: { items: unknown[] } } }).result.data.items).toEqual([])
    const boss = await fetch(`${server.base(adapter)}/trpc/me`, { headers: { cookie: 'session=boss' } })
    expect(((await boss.json()) as { result: { data: unknown } }).result.data).toMatchObject({ isAdmin: true })
  })

  it('refuses a cross-origin form post riding the session cookie, and writes nothing', async () => {
    const id = freshId()
    // What <form method=post enctype=multipart/form-data action=…> on another site sends.
    const form = new FormData()
    form.set('name', 'd')
    form.set('filename', 'd.csv')
    form.set('sizeBytes', '4')
    const browser = {
      cookie: `session=${id}`,
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
    }
    const multipart = await fetch(`${server.base(adapter)}/trpc/datasets.create`, { method: 'POST', headers: browser, body: form })
    expect(multipart.status).toBe(403)
    expect(await errorCodeOf(multipart)).toBe('FORBIDDEN')
    // The default enctype: tRPC does not take it at all.
    const urlencoded = await fetch(`${server.base(adapter)}/trpc/datasets.create`, {
      method: 'POST',
      headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=d&filename=d.csv&sizeBytes=4',
    })
    expect(urlencoded.status).toBeGreaterThanOrEqual(400)
    expect(await rows(id)).toEqual({ users: 0, datasets: 0 })
  })

  it('refuses a cross-origin fetch riding the session cookie, and writes nothing', async () => {
    const id = freshId()
    const res = await createDataset(adapter, { cookie: `session=${id}`, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })
    expect(res.status).toBe(403)
    expect(await errorCodeOf(res)).toBe('FORBIDDEN')
    // An older browser that sends Origin but no Sec-Fetch-Site is refused the same way.
    const noFetchMetadata = await createDataset(adapter, { cookie: `session=${id}`, origin: 'https://evil.example' })
    expect(noFetchMetadata.status).toBe(403)
    // A sibling site is another origin too, unless the host trusts it.
    const sibling = await createDataset(adapter, { cookie: `session=${id}`, origin: 'https://shop.example', 'sec-fetch-site': 'same-site' })
    expect(sibling.status).toBe(403)
    expect(await rows(id)).toEqual({ users: 0, datasets: 0 })
  })

  it('refuses a cookie-carrying mutation that shows no origin at all', async () => {
    const id = freshId()
    const res = await createDataset(adapter, { cookie: `session=${id}` })
    expect(res.status).toBe(403)
    expect(await rows(id)).toEqual({ users: 0, datasets: 0 })
  })

  it('lets a trusted origin and a cross-site read through', async () => {
    const id = freshId()
    const trusted = await createDataset(adapter, { cookie: `session=${id}`, origin: TRUSTED, 'sec-fetch-site': 'same-site' })
    expect(trusted.status).toBe(200)
    const read = await fetch(`${server.base(adapter)}/trpc/me`, {
      headers: { cookie: `session=${id}`, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    })
    expect(read.status).toBe(200)
  })

  it('applies the same rule to the dataset upload route', async () => {
    const id = freshId()
    const created = await createDataset(adapter, { cookie: `session=${id}`, ...sameOrigin() })
    const { uploadUrl } = ((await created.json()) as { result: { data: { uploadUrl: string } } }).result.data
    const target = server.via(adapter, uploadUrl)
    const cross = await fetch(target, {
      method: 'PUT',
      headers: { cookie: `session=${id}`, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: 'abcd',
    })
    expect(cross.status).toBe(403)
    const ok = await fetch(target, { method: 'PUT', headers: { cookie: `session=${id}`, ...sameOrigin() }, body: 'abcd' })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { dataset: { status: string } }).dataset.status).toBe('ready')
  })

  it('keeps API keys working beside the hook, ahead of any session', async () => {
    const res = await createDataset(adapter, { authorization: `Bearer ${alice.apiKey}`, cookie: 'session=boss' })
    expect(res.status).toBe(200)
    const me = await fetch(`${server.base(adapter)}/trpc/me`, {
      headers: { authorization: `Bearer ${alice.apiKey}`, cookie: 'session=boss' },
    })
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toMatchObject({ id: alice.id, isAdmin: false })
    const revoked = await fetch(`${server.base(adapter)}/trpc/me`, {
      headers: { authorization: `Bearer pl_${'x'.repeat(43)}`, cookie: 'session=boss' },
    })
    expect(revoked.status).toBe(401)
    const nobody = await fetch(`${server.base(adapter)}/trpc/me`)
    expect(nobody.status).toBe(401)
  })
})

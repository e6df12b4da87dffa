import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestUser, type TestUser } from '../testing.ts'
import { startDatasetServer, type DatasetServer } from './test-support.ts'

let now = Date.parse('2030-01-01T00:00:00Z')
const clock = () => new Date(now)
let server: DatasetServer
let bob: TestUser

beforeAll(async () => {
  server = await startDatasetServer({ clock })
  bob = await createTestUser(server.database.db, 'bob')
})

afterAll(() => server.close())

describe('datasets router', () => {
  it('creates and pages through more than one page with a cursor', async () => {
    const carol = await createTestUser(server.database.db, 'carol')
    const api = await server.caller(carol)
    const created: string[] = []
    for (let i = 0; i < 7; i++) {
      const { dataset } = await api.datasets.create({ name: `set ${i}`, filename: `f${i}.csv`, sizeBytes: 10 + i })
      expect(dataset).toMatchObject({ name: `set ${i}`, filename: `f${i}.csv`, sizeBytes: 10 + i, status: 'uploading', sha256: null })
      created.push(dataset.id)
    }
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await api.datasets.list({ limit: 3, ...(cursor ? { cursor } : {}) })
      seen.push(...page.items.map((item) => item.id))
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    // Newest first; rows created in the same instant are ordered by id, so compare with one full page.
    expect([...seen].sort()).toEqual([...created].sort())
    expect((await api.datasets.list()).items.map((item) => item.id)).toEqual(seen)
    expect((await api.datasets.list({ limit: 50, status: 'ready' })).items).toEqual([])
    await expect(api.datasets.list({ limit: 3, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect((await (await server.caller(bob)).datasets.list()).items.map((item) => item.id)).not.toContain(created[0])
  })

  it('gets and deletes; a deleted dataset stops downloading (404) and disappears', async () => {
    const api = await server.caller(server.alice)
    const id = await server.upload(server.alice, Buffer.from('hello'))
    expect(await api.datasets.get({ id })).toMatchObject({ id, status: 'ready', sizeBytes: 5 })
    const { url } = await server.downloadUrl(server.alice, id)
    expect((await fetch(url)).status).toBe(200)
    expect(await api.datasets.delete({ id })).toMatchObject({ id, status: 'deleted' })
    const res = await fetch(url)
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    await expect(api.datasets.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(api.datasets.delete({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await api.datasets.list()).items.map((item) => item.id)).not.toContain(id)
  })

  it('mints download URLs for 2 h by default, up to 24 h', async () => {
    const api = await server.caller(server.alice)
    const id = await server.upload(server.alice, Buffer.from('ttl'))
    const byDefault = await api.datasets.createDownloadUrl({ id })
    expect(byDefault.expiresAt.getTime()).toBe(now + 2 * 3600_000)
    expect(byDefault.url).toMatch(/\/v1\/datasets\/download\?token=[\w-]+\.[\w-]+\.[\w-]+$/)
    expect((await api.datasets.createDownloadUrl({ id, ttlSeconds: 24 * 3600 })).expiresAt.getTime()).toBe(now + 24 * 3600_000)
    for (const ttlSeconds of [24 * 3600 + 1, 0, -5, 1.5]) {
      await expect(api.datasets.createDownloadUrl({ id, ttlSeconds })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    }
    const { dataset } = await api.datasets.create({ name: 'empty', filename: 'e.bin', sizeBytes: 3 })
    await expect(api.datasets.createDownloadUrl({ id: dataset.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' })
  })

  it("answers NOT_FOUND from every procedure on another user's dataset", async () => {
    const id = await server.upload(server.alice, Buffer.from('private'))
    const api = await server.caller(bob)
    await expect(api.datasets.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(api.datasets.delete({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(api.datasets.createDownloadUrl({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await api.datasets.list()).items.map((item) => item.id)).not.toContain(id)
    expect(await (await server.caller(server.alice)).datasets.get({ id })).toMatchObject({ status: 'ready' })
  })

  it('validates input at the boundary', async () => {
    const api = await server.caller(server.alice)
    for (const input of [
      { name: 'x', filename: '../x', sizeBytes: 1 },
      { name: 'x', filename: 'a\nb', sizeBytes: 1 },
      { name: '', filename: 'x', sizeBytes: 1 },
      { name: 'x', filename: 'x', sizeBytes: -1 },
      { name: 'x', filename: 'x', sizeBytes: 1, sha256: 'ABC' },
    ]) {
      await expect(api.datasets.create(input)).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    }
    await expect(api.datasets.get({ id: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })
})

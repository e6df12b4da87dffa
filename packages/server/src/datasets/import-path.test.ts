import { execFile } from 'node:child_process'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { TRPCError } from '@trpc/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { createTestUser, type TestUser } from '../testing.ts'
import { sha256Hex, startDatasetServer, type DatasetServer } from './test-support.ts'

let server: DatasetServer
let admin: TestUser
let root: string
let outside: string
const INSIDE = Buffer.from('a,b\n1,2\n')

beforeAll(async () => {
  server = await startDatasetServer()
  admin = await createTestUser(server.database.db, 'admin', true)
  root = server.deps.config.importDir
  const dataDir = dirname(root)
  outside = join(dataDir, 'secret.txt')
  await mkdir(join(root, 'sub', 'deeper'), { recursive: true })
  await mkdir(join(dataDir, 'datasets-evil'), { recursive: true })
  await writeFile(outside, 'not for pods')
  await writeFile(join(dataDir, 'datasets-evil', 'file.csv'), 'sibling with a shared prefix')
  await writeFile(join(root, 'inside.csv'), INSIDE)
  await symlink(outside, join(root, 'escape-link'))
  await symlink(dirname(root), join(root, 'sub', 'up-link'))
  await symlink(join(root, 'inside.csv'), join(root, 'inside-link.csv'))
  await promisify(execFile)('mkfifo', [join(root, 'fifo')])
})

afterAll(() => server.close())

async function datasetCount() {
  const row = await server.deps.db
    .selectFrom('datasets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const payloads = (): string[] => [
  '../secret.txt',
  '../../../../../../etc/passwd',
  '..%2fsecret.txt',
  '..%2Fsecret.txt',
  '%2e%2e/secret.txt',
  '%2e%2e%2fsecret.txt',
  '%252e%252e%252fsecret.txt',
  '..\\secret.txt',
  '..\\..\\..\\etc\\passwd',
  '....//secret.txt',
  '....//....//....//etc/passwd',
  '..././secret.txt',
  '/etc/passwd',
  '/proc/self/environ',
  '/dev/null',
  'file\0.txt',
  'inside.csv\0.png',
  '%c0%ae%c0%ae/secret.txt',
  '..%c0%afsecret.txt',
  '%uff0e%uff0e/secret.txt',
  '\uff0e\uff0e/secret.txt',
  'sub/../../secret.txt',
  'sub/./deeper/../../../secret.txt',
  'sub/up-link/secret.txt',
  outside,
  `${root}/../secret.txt`,
  `${root}-evil/file.csv`,
  '../datasets-evil/file.csv',
  'escape-link',
  'sub',
  '.',
  '/',
  'fifo',
  'missing.csv',
  'file:///etc/passwd',
  '~/.ssh/id_rsa',
]

describe('datasets.register path safety', () => {
  it('refuses every traversal payload with BAD_REQUEST / PATH_NOT_ALLOWED and creates nothing', async () => {
    const api = await server.caller(admin)
    const list = payloads()
    expect(list.length).toBeGreaterThanOrEqual(20)
    const before = await datasetCount()
    for (const path of list) {
      const error = await api.datasets.register({ name: 'attack', path }).then(
        () => undefined,
        (caught: unknown) => caught,
      )
      expect(error, `accepted ${JSON.stringify(path)}`).toBeInstanceOf(TRPCError)
      expect((error as TRPCError).code, JSON.stringify(path)).toBe('BAD_REQUEST')
      const cause = (error as TRPCError).cause
      expect(cause instanceof AppError ? cause.code : cause, JSON.stringify(path)).toBe('PATH_NOT_ALLOWED')
    }
    expect(await datasetCount()).toBe(before)
    expect(await server.storeFiles()).toEqual([])
  })

  it('registers a regular file inside the root, directly and through an inside symlink', async () => {
    const api = await server.caller(admin)
    for (const path of ['inside.csv', join(root, 'inside.csv'), 'inside-link.csv', 'sub/../inside.csv']) {
      const dataset = await api.datasets.register({ name: 'inside', path })
      expect(dataset).toMatchObject({ status: 'ready', sizeBytes: INSIDE.length, sha256: sha256Hex(INSIDE), filename: 'inside.csv' })
      const { url } = await server.downloadUrl(admin, dataset.id)
      const res = await fetch(url)
      expect(Buffer.from(await res.arrayBuffer()).equals(INSIDE)).toBe(true)
    }
  })

  it('is for administrators only', async () => {
    const api = await server.caller(server.alice)
    await expect(api.datasets.register({ name: 'inside', path: 'inside.csv' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

// A file far larger than the adapters' buffers moves through the fetch handler (upload and
// download, real curl on the other side) while this process's RSS stays bounded.
import { execFile } from 'node:child_process'
import { createHash, randomFillSync } from 'node:crypto'
import { open, rm, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestUser } from '../testing.ts'
import { startMounted, type MountedServer } from './test-support.ts'

const run = promisify(execFile)
const SIZE = 384 * 1024 * 1024
// Buffering the file would add SIZE; streaming adds a few MiB of chunks plus what the GC has not yet collected.
const MAX_GROWTH = 96 * 1024 * 1024

let server: MountedServer
let alice: TestUser
let dir: string
let file: string
let sha256: string

beforeAll(async () => {
  server = await startMounted()
  alice = await server.user('alice')
  dir = await mkdtemp(join(tmpdir(), 'podlaunch-memory-'))
  file = join(dir, 'big.bin')
  const handle = await open(file, 'w')
  const hash = createHash('sha256')
  const chunk = Buffer.alloc(8 * 1024 * 1024)
  for (let written = 0; written < SIZE; written += chunk.length) {
    randomFillSync(chunk)
    hash.update(chunk)
    await handle.write(chunk)
  }
  await handle.close()
  sha256 = hash.digest('hex')
}, 120_000)

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

/** Runs `work` while sampling RSS; returns its result and the peak growth over the start. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage.rss()
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10)
  try {
    const result = await work()
    return { result, growth: peak - before }
  } finally {
    clearInterval(sampler)
  }
}

async function trpc(procedure: string, input: unknown) {
  const res = await fetch(`${server.base('fetch')}/trpc/${procedure}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  })
  return ((await res.json()) as { result: { data: Record<string, unknown> } }).result.data
}

describe('the fetch handler in constant memory', () => {
  it(`uploads and downloads ${SIZE / 1024 / 1024} MiB with bounded RSS`, async () => {
    const created = (await trpc('datasets.create', { name: 'big', filename: 'big.bin', sizeBytes: SIZE, sha256 })) as {
      dataset: { id: string }
      uploadUrl: string
    }
    const up = await peakGrowth(() =>
      run('curl', [
        '-sS',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-T',
        file,
        '-H',
        `Authorization: Bearer ${alice.apiKey}`,
        server.via('fetch', created.uploadUrl),
      ]),
    )
    expect(up.result.stdout).toBe('200')
    expect(up.growth).toBeLessThan(MAX_GROWTH)

    const { url } = (await trpc('datasets.createDownloadUrl', { id: created.dataset.id })) as { url: string }
    const down = await peakGrowth(() =>
      run('curl', [
        '-sS',
        '--limit-rate',
        '400M',
        '-o',
        join(dir, 'copy.bin'),
        '-w',
        '%{http_code} %{size_download}',
        server.via('fetch', url),
      ]),
    )
    expect(down.result.stdout).toBe(`200 ${SIZE}`)
    expect(down.growth).toBeLessThan(MAX_GROWTH)
    const { stdout } = await run('sha256sum', [join(dir, 'copy.bin')])
    expect(stdout.split(' ')[0]).toBe(sha256)
    console.log(
      `[constant memory] upload +${(up.growth / 1048576).toFixed(1)} MiB, download +${(down.growth / 1048576).toFixed(1)} MiB RSS for ${SIZE / 1048576} MiB`,
    )
  }, 180_000)
})

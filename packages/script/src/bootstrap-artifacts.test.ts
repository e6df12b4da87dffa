import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startArtifactServer, type ArtifactServer } from '../test/artifact-server.ts'
import { FAST, pathWithout, POD_TOKEN, runScript, setUpBehaviourTests, sha256, tempDir, timeline } from '../test/harness.ts'
import type { EventsServer, PodEvent } from '../test/harness.ts'

const dataset = Buffer.from('rows\n')
// A trainer that writes a model: a few files, one large enough for several PUT chunks.
const TRAIN = [
  'mkdir -p output/ckpt',
  'head -c 3000000 /dev/urandom >output/ckpt/model.bin',
  'echo "{\\"lr\\": 0.1}" >output/config.json',
  'printf "hello" >"output/name with space.txt"',
].join('\n')

const tests = setUpBehaviourTests()

async function servers(options: Parameters<typeof startArtifactServer>[0] = {}): Promise<{ events: EventsServer; store: ArtifactServer }> {
  const events = await tests.server({ dataset })
  const store = await startArtifactServer(options)
  tests.closeLater(store.close)
  return { events, store }
}

function run(
  events: EventsServer,
  artifactsUrl: string | undefined,
  spec: Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
) {
  return runScript({
    server: events,
    dataset,
    spec: { ...FAST, keepAliveSeconds: 30, trainCommand: TRAIN, artifacts: { paths: ['output', 'missing.txt'] }, ...spec },
    env: { PODLAUNCH_ARTIFACTS_URL: artifactsUrl, ...env },
    timeoutMs: 40_000,
  })
}

/** Unpacks an archive the server stored and returns the model file and the listing. */
function unpack(bytes: Buffer, name: string): { dir: string; listing: string[] } {
  const dir = tempDir('podlaunch-unpack-')
  writeFileSync(join(dir, name), bytes)
  const decompress = name.endsWith('.zst') ? '--zstd' : '-z'
  const r = spawnSync('tar', ['-x', decompress, '-f', name], { cwd: dir })
  expect(r.status, r.stderr.toString()).toBe(0)
  const list = spawnSync('tar', ['-t', decompress, '-f', name], { cwd: dir }).stdout.toString().trim().split('\n').sort()
  return { dir, listing: list }
}

const report = (events: PodEvent[], kind: string) => events.find((e) => e.type === 'report' && e.kind === kind)

describe('artifact phase', () => {
  it('packs with zstd, uploads, and asks for termination at once instead of keeping the pod alive', async () => {
    const { events, store } = await servers()
    const started = Date.now()
    const r = await run(events, store.url)
    expect(r.code, r.stdout).toBe(0)
    expect(Date.now() - started).toBeLessThan(25_000) // not the 30 s keep-alive
    expect(timeline(events.events()).slice(-4)).toEqual([
      'status:training',
      'status:succeeded',
      'report:artifacts_uploaded',
      'terminate_request:artifacts_uploaded',
    ])
    const [artifact] = store.artifacts
    expect(artifact).toMatchObject({ name: 'artifacts.tar.zst', complete: true })
    expect(report(events.events(), 'artifacts_uploaded')?.data).toMatchObject({
      id: artifact!.id,
      name: 'artifacts.tar.zst',
      bytes: artifact!.size,
      sha256: sha256(artifact!.bytes),
    })
    // The report and the termination request travel in one batch.
    expect(events.batches.find((b) => b.events.some((e) => e.kind === 'artifacts_uploaded'))!.events.map((e) => e.type)).toEqual([
      'report',
      'terminate_request',
    ])
    const { dir, listing } = unpack(artifact!.bytes, artifact!.name)
    expect(listing).toEqual(['output/', 'output/ckpt/', 'output/ckpt/model.bin', 'output/config.json', 'output/name with space.txt'])
    expect(readFileSync(join(dir, 'output/ckpt/model.bin')).equals(readFileSync(join(r.workdir, 'output/ckpt/model.bin')))).toBe(true)
    expect(r.stdout).toContain('not found, left out of the archive: missing.txt')
    expect(readFileSync(join(r.workdir, 'podlaunch.log'), 'utf8')).not.toContain(POD_TOKEN)
    expect(r.stdout).not.toContain(POD_TOKEN)
  }, 45_000)

  it('falls back to gzip without zstd and resumes a cut upload from the server offset', async () => {
    const { events, store } = await servers({ cutFirstPutAfter: 1_000_000 })
    const r = await run(events, store.url, {}, { PATH: pathWithout(['zstd']) })
    expect(r.code, r.stdout).toBe(0)
    const [artifact] = store.artifacts
    expect(artifact).toMatchObject({ name: 'artifacts.tar.gz', complete: true })
    const puts = store.requests.filter((line) => line.startsWith('PUT'))
    expect(puts[0]).toBe('PUT') // from byte 0: no Content-Range
    expect(puts[1]).toBe(`PUT bytes 1000000-${artifact!.size - 1}/${artifact!.size}`)
    expect(store.requests).toContain('GET')
    expect(readFileSync(join(r.workdir, '.podlaunch/artifacts', artifact!.name)).equals(artifact!.bytes)).toBe(true)
    expect(unpack(artifact!.bytes, artifact!.name).listing).toContain('output/ckpt/model.bin')
    expect(timeline(events.events()).slice(-2)).toEqual(['report:artifacts_uploaded', 'terminate_request:artifacts_uploaded'])
  }, 45_000)

  it('reports artifact_upload_failed with the server’s reason and falls back to the keep-alive window', async () => {
    const { events, store } = await servers({ declareStatus: 413 })
    const r = await run(events, store.url, { keepAliveSeconds: 1 })
    expect(r.code, r.stdout).toBe(0)
    expect(timeline(events.events()).slice(-3)).toEqual([
      'status:succeeded',
      'report:artifact_upload_failed',
      'terminate_request:keep_alive_expired',
    ])
    const failed = report(events.events(), 'artifact_upload_failed')!
    expect(String(failed.message)).toContain('HTTP 413 PAYLOAD_TOO_LARGE')
    expect(failed.data).toMatchObject({ name: 'artifacts.tar.zst' })
    expect(String((failed.data as { reason: string }).reason)).toContain('413')
  }, 45_000)

  it('gives up after its retries when the server does not answer, then keeps the pod alive', async () => {
    const { events } = await servers()
    const r = await run(events, 'http://127.0.0.1:9/v1/pod/artifacts', { keepAliveSeconds: 1 })
    expect(r.code, r.stdout).toBe(0)
    const failed = report(events.events(), 'artifact_upload_failed')!
    expect(String(failed.message)).toMatch(/after 5 attempts without progress \(last: no answer from the server\)/)
    expect(timeline(events.events()).slice(-1)).toEqual(['terminate_request:keep_alive_expired'])
  }, 45_000)

  it('skips with a reason when no path exists or no upload URL is set', async () => {
    const { events, store } = await servers()
    const none = await run(events, store.url, { keepAliveSeconds: 0, trainCommand: 'true' })
    expect(none.code).toBe(0)
    expect(report(events.events(), 'artifacts_skipped')?.message).toBe('no artifact path exists after training: output missing.txt')
    const { events: second } = await servers()
    const noUrl = await run(second, undefined, { keepAliveSeconds: 0 })
    expect(noUrl.code).toBe(0)
    expect(report(second.events(), 'artifacts_skipped')?.message).toContain('PODLAUNCH_ARTIFACTS_URL is not set')
    expect(timeline(second.events()).slice(-1)).toEqual(['terminate_request:keep_alive_expired'])
    expect(store.artifacts).toEqual([])
  }, 45_000)

  it('a container restarted during the upload finishes it instead of giving up', async () => {
    const { events, store } = await servers()
    const refusing = await startArtifactServer({ declareStatus: 413 })
    tests.closeLater(refusing.close)
    const first = await run(events, refusing.url, { keepAliveSeconds: 0 }, {})
    expect(first.code).toBe(0)
    // As if the container restarted mid-upload: the job is over, the upload not.
    spawnSync('rm', ['-f', join(first.workdir, '.podlaunch/artifacts-done')])
    const again = await runScript({
      server: events,
      dataset,
      workdir: first.workdir,
      spec: { ...FAST, keepAliveSeconds: 30, trainCommand: TRAIN, artifacts: { paths: ['output'] } },
      env: { PODLAUNCH_ARTIFACTS_URL: store.url },
      timeoutMs: 40_000,
    })
    expect(again.code, again.stdout).toBe(0)
    expect(again.stdout).toContain('reusing artifacts.tar.zst packed before a restart')
    expect(store.artifacts[0]?.complete).toBe(true)
    expect(timeline(events.events()).slice(-2)).toEqual(['report:artifacts_uploaded', 'terminate_request:artifacts_uploaded'])
  }, 60_000)
})

// What every benchmark does around its measurements: curl downloads, and cleaning up the child
// processes and files it made, also on Ctrl-C.
import { execFile, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { rm } from 'node:fs/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** One curl download of `size` bytes to /dev/null; returns MB/s (10^6 bytes per second). */
export async function curlDownload(url: string, size: number): Promise<number> {
  const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{time_total}', url])
  const [code, got, seconds] = stdout.trim().split(' ')
  if (code !== '200' || Number(got) !== size) throw new Error(`download failed: ${stdout}`)
  return Number(got) / Number(seconds) / 1e6
}

/** What a benchmark leaves to clean up: its child processes (stopped with SIGTERM) and directories. */
export interface BenchLeftovers {
  children: ChildProcess[]
  dirs: string[]
}

/** Runs `main`, then stops the children and removes the directories it registered, also on SIGINT. */
export async function runBench(main: (leftovers: BenchLeftovers) => Promise<void>): Promise<void> {
  const leftovers: BenchLeftovers = { children: [], dirs: [] }
  const cleanup = async () => {
    for (const child of leftovers.children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))])
      }
    }
    for (const dir of leftovers.dirs) await rm(dir, { recursive: true, force: true })
  }
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)))
  try {
    await main(leftovers)
  } finally {
    await cleanup()
  }
}

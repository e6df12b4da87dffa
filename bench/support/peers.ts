// Shared by the benchmarks that measure against nginx on loopback.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomFillSync } from 'node:crypto'
import { once } from 'node:events'
import { mkdir, open, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '@podlaunch/server/testing'

const run = promisify(execFile)

/** Exits with the install command when a tool the benchmark needs is missing. */
export async function requireTool(command: string, args: string[], install: string) {
  try {
    await run(command, args)
  } catch {
    console.error(`${command} is not installed. Install it with: ${install}`)
    process.exit(2)
  }
}

/** Writes `size` random bytes; returns their sha256 (hex). */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const handle = await open(path, 'w')
  const hash = createHash('sha256')
  try {
    const chunk = Buffer.alloc(16 * 1024 * 1024)
    for (let written = 0; written < size; written += chunk.length) {
      randomFillSync(chunk)
      const part = chunk.subarray(0, Math.min(chunk.length, size - written))
      hash.update(part)
      await handle.write(part)
    }
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}

/**
 * nginx on a free loopback port with its own prefix and one worker (podlaunch is one Node
 * process, so both get one core to serve with). `http` and `location` add directives.
 */
export async function startNginx(
  prefix: string,
  root: string,
  options: { http?: string; location?: string; readyPath?: string },
): Promise<{ url: string; child: ChildProcess }> {
  await mkdir(join(prefix, 'logs'), { recursive: true })
  const port = await freePort()
  const temp = (name: string) => `${name}_temp_path ${join(prefix, name)};`
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${options.http ?? ''}
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { ${options.location ?? ''} }
  }
}
`
  const confPath = join(prefix, 'nginx.conf')
  await writeFile(confPath, conf)
  const child = spawn('nginx', ['-p', prefix, '-c', confPath, '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`)
    const ok = await fetch(`${url}${options.readyPath ?? '/'}`, { method: 'HEAD' }).then(
      (res) => res.status < 500,
      () => false,
    )
    if (ok) return { url, child }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  child.kill()
  throw new Error('nginx did not start')
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const fmt = (value: number) => value.toFixed(0)

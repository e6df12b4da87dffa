import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/**
 * Serves the built admin app. Unknown paths fall back to index.html (client-side routing);
 * every path is resolved and must stay inside the root.
 */
export function createStaticHandler(root: string) {
  const rootReal = realpath(root).catch(() => undefined)
  return async (pathname: string, res: ServerResponse, headOnly: boolean): Promise<boolean> => {
    const base = await rootReal
    if (!base) return false
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return false
    }
    if (decoded.includes('\0')) return false
    const candidate = await resolveInside(base, decoded === '/' ? '/index.html' : decoded)
    const file = candidate ?? (extname(decoded) ? undefined : await resolveInside(base, '/index.html'))
    if (!file) return false
    const info = await stat(file)
    const immutable = file.includes(`${sep}assets${sep}`)
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    })
    if (headOnly) res.end()
    else createReadStream(file).pipe(res)
    return true
  }
}

async function resolveInside(base: string, relative: string): Promise<string | undefined> {
  try {
    const real = await realpath(join(base, relative))
    if (!real.startsWith(base + sep)) return undefined
    return (await stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, join, sep } from 'node:path'
import { openStoredFile } from '../storage/opened-file.ts'
import type { PlainResponse } from './exchange.ts'

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
 * every path is resolved and must stay inside the root. Undefined when there is nothing to serve.
 * index.html gets a `<base>` and a meta tag naming the basePath, so the app (built with relative
 * asset URLs) loads its files and calls the API under whatever path it is mounted at.
 */
export function createStaticHandler(root: string, basePath = '') {
  const rootReal = realpath(root).catch(() => undefined)
  return async (pathname: string, headOnly: boolean): Promise<PlainResponse | undefined> => {
    const base = await rootReal
    if (!base) return undefined
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return undefined
    }
    if (decoded.includes('\0')) return undefined
    const candidate = await resolveInside(base, decoded === '/' ? '/index.html' : decoded)
    const path = candidate ?? (extname(decoded) ? undefined : await resolveInside(base, '/index.html'))
    const file = path ? await openStoredFile(path) : undefined
    if (!path || !file) return undefined
    if (path === join(base, 'index.html')) {
      await file.handle.close()
      const html = mountedIndex(await readFile(path, 'utf8'), basePath)
      return {
        status: 200,
        headers: {
          'Content-Type': TYPES['.html']!,
          'Content-Length': String(html.length),
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
        },
        body: headOnly ? { kind: 'empty' } : { kind: 'bytes', bytes: html },
      }
    }
    const immutable = path.includes(`${sep}assets${sep}`)
    const headers = {
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Length': String(file.size),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    }
    const done = () => file.handle.close()
    if (headOnly || file.size === 0) return { status: 200, headers, body: { kind: 'empty' }, done }
    return { status: 200, headers, body: { kind: 'file', file, start: 0, length: file.size }, done }
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

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' }

/** index.html with `<base href="{basePath}/">` and `<meta name="podlaunch-base-path">` first in its head. */
export function mountedIndex(html: string, basePath: string): Buffer<ArrayBuffer> {
  const attribute = basePath.replace(/[&"'<>]/g, (c) => HTML_ESCAPES[c]!)
  const tags = `<base href="${attribute}/"><meta name="podlaunch-base-path" content="${attribute}">`
  return Buffer.from(html.replace(/<head>/i, (head) => `${head}${tags}`))
}

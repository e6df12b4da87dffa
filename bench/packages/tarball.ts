// Reads a package tarball (gzip'd ustar) without unpacking it: each file's size, and the
// package.json as published.
import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'

export interface TarballContents {
  packedBytes: number
  files: { path: string; bytes: number }[]
  manifest: { name: string; version: string; dependencies?: Record<string, string> }
}

export async function readTarball(path: string): Promise<TarballContents> {
  const packed = await readFile(path)
  const tar = gunzipSync(packed)
  const files: TarballContents['files'] = []
  let manifest: TarballContents['manifest'] | undefined
  // 512-byte headers, each followed by its file's bytes padded to 512; two zero blocks end it.
  for (let offset = 0; offset + 512 <= tar.length && tar[offset] !== 0;) {
    const field = (start: number, length: number) => tar.toString('latin1', offset + start, offset + start + length).replace(/\0.*$/s, '')
    const prefix = field(345, 155)
    const path = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100)
    const bytes = parseInt(field(124, 12).trim() || '0', 8)
    const type = field(156, 1)
    if (type === '0' || type === '') {
      files.push({ path, bytes })
      if (path === 'package/package.json') manifest = JSON.parse(tar.toString('utf8', offset + 512, offset + 512 + bytes))
    }
    offset += 512 + Math.ceil(bytes / 512) * 512
  }
  if (!manifest) throw new Error(`${path} has no package/package.json`)
  return { packedBytes: packed.length, files, manifest }
}

/**
 * Parses a Range header for a representation of `size` bytes (RFC 9110 §14).
 * Only a single byte range is honoured; multiple or malformed ranges mean "send it all".
 */
export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' }

// The range unit is case-insensitive (RFC 9110 §14.1); digits only, so no sign, hex or exponent.
const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/i

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' }
  const match = SINGLE_RANGE.exec(header.trim())
  if (!match) return { kind: 'full' }
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return { kind: 'full' }
  // Numbers past 2^53 (or Infinity) still compare correctly against any real size: a huge
  // first-pos is past the end (416), a huge last-pos or suffix length is clamped (RFC 9110 §14.1.2).
  if (first === '') {
    // Suffix range: the last n bytes.
    const length = Number(last)
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last)
  if (end < start) return { kind: 'full' }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'partial', start, end: Math.min(end, size - 1) }
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** A PUT's place in the artifact: bytes start..end (inclusive) of total; empty when start === total. */
export interface UploadRange {
  start: number
  end: number
  total: number
}

const RANGE = /^bytes (\d{1,16})-(\d{1,16})\/(\d{1,16})$/
const ONLY_TOTAL = /^bytes \*\/(\d{1,16})$/

/**
 * Parses `Content-Range` on an upload. Absent means the whole artifact from byte 0;
 * the form `bytes <asterisk>/total` is an empty body asking the server to finish an upload it holds in full.
 * Anything else malformed (end before start, end past total, unsafe numbers) is undefined.
 */
export function parseUploadRange(header: string | undefined, declaredTotal: number): UploadRange | undefined {
  if (header === undefined) return { start: 0, end: declaredTotal - 1, total: declaredTotal }
  const value = header.trim()
  const onlyTotal = ONLY_TOTAL.exec(value)
  if (onlyTotal) {
    const total = Number(onlyTotal[1])
    return Number.isSafeInteger(total) ? { start: total, end: total - 1, total } : undefined
  }
  const match = RANGE.exec(value)
  if (!match) return undefined
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (![start, end, total].every(Number.isSafeInteger)) return undefined
  if (end < start || end >= total) return undefined
  return { start, end, total }
}

export interface Line {
  id: string
  line: string
}

/** Appends a page of lines after the ones held, drops repeats, and keeps the last `max`. */
export function appendLines<T extends Line>(held: readonly T[], page: readonly T[], max: number): T[] {
  const lastId = held.length ? BigInt(held[held.length - 1]!.id) : -1n
  const fresh = page.filter((line) => BigInt(line.id) > lastId)
  const merged = fresh.length ? [...held, ...fresh] : [...held]
  return merged.length > max ? merged.slice(merged.length - max) : merged
}

/** The last `count` lines of a text block (a failed pod's logTail), without a trailing blank. */
export function lastLines(text: string, count: number): string[] {
  const lines = text.replace(/\n+$/, '').split('\n')
  return lines.slice(Math.max(0, lines.length - count))
}

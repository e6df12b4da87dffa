const encoder = new TextEncoder()

/** A string's length in UTF-8 bytes (a lone surrogate counts as U+FFFD, as on the wire). */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length
}

/** Stable codes for errors this package throws outside zod validation. */
export type ScriptErrorCode = 'NUL_CHARACTER'

export class ScriptError extends Error {
  readonly code: ScriptErrorCode
  constructor(code: ScriptErrorCode, message: string) {
    super(message)
    this.name = 'ScriptError'
    this.code = code
  }
}

/**
 * Quotes a value for bash as one word: `'…'`, with each `'` written as `'\''`.
 * Inside single quotes bash expands nothing ($, `, \, newlines are literal), so
 * any string except one holding NUL round-trips byte for byte. Bash strings are
 * C strings and cannot hold NUL, hence the refusal instead of a silent cut.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) {
    throw new ScriptError('NUL_CHARACTER', 'shellQuote: value contains a NUL character (\\0), which bash cannot hold')
  }
  return `'${value.replaceAll("'", "'\\''")}'`
}

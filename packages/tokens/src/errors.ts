import type { TokenErrorCode } from '@podlaunch/contract'

// Errors carry a stable `code`; callers and tests branch on it, never on the message.
// Messages describe what was wrong and never contain a token, a claim value or key material.
// The codes, and the HTTP status and tRPC code each one is answered with, are part of the
// contract's one error table (@podlaunch/contract); this package knows nothing of transports.

export type { TokenErrorCode }

export class TokenError extends Error {
  override readonly name = 'TokenError'
  readonly code: TokenErrorCode

  constructor(code: TokenErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

export function isTokenError(error: unknown): error is TokenError {
  return error instanceof TokenError
}

/**
 * Bad key configuration. `variable` names the setting at fault (an environment variable name or
 * the key file's path); the message names it too and never contains key material.
 */
export class KeyConfigError extends Error {
  override readonly name = 'KeyConfigError'
  readonly code = 'KEY_CONFIG_INVALID' as const
  readonly variable: string
  /** What is wrong, without the variable name. */
  readonly problem: string

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`)
    this.variable = variable
    this.problem = problem
  }

  /** The same error, located at one key of a list ("key 2: ..."). */
  atKey(index: number): KeyConfigError {
    return new KeyConfigError(this.variable, `key ${index}: ${this.problem}`)
  }
}

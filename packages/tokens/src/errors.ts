// Errors carry a stable `code`; callers and tests branch on it, never on the message.
// Messages describe what was wrong and never contain a token, a claim value or key material.

/** Codes a verification (or the revocation check) can produce; the download contract maps them. */
export type TokenVerifyErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_REVOKED'
  | 'TOKEN_WRONG_AUDIENCE'

/** Codes minting can produce: the caller asked for something the token rules refuse. */
export type TokenMintErrorCode = 'TOKEN_TTL_OUT_OF_RANGE' | 'TOKEN_CLAIMS_INVALID'

export type TokenErrorCode = TokenVerifyErrorCode | TokenMintErrorCode

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

export type TokenErrorStatus = 400 | 401 | 403 | 500

const STATUS_BY_CODE: Record<TokenErrorCode, TokenErrorStatus> = {
  TOKEN_MISSING: 400,
  TOKEN_MALFORMED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_WRONG_AUDIENCE: 403,
  TOKEN_REVOKED: 403,
  // A ttl outside (0, 24 h] comes from the caller's request.
  TOKEN_TTL_OUT_OF_RANGE: 400,
  // Claims that do not fit the kind are a bug in our own code, not the caller's.
  TOKEN_CLAIMS_INVALID: 500,
}

/** The HTTP status for a token error code, per the download contract (DESIGN.md). */
export function tokenErrorStatus(code: TokenErrorCode): TokenErrorStatus {
  return STATUS_BY_CODE[code]
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

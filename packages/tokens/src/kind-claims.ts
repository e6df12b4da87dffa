import { TOKEN_KINDS, type TokenKind, type TokenKindSpec } from '@podlaunch/contract'

// The kinds themselves are data in @podlaunch/contract; this is how minting and verification
// hold a token's claims to its kind.

/** Longest accepted kind-specific claim value; ids are far shorter. */
export const MAX_CLAIM_LENGTH = 256

export function tokenKindSpec(kind: TokenKind): TokenKindSpec {
  const spec: TokenKindSpec | undefined = Object.hasOwn(TOKEN_KINDS, kind) ? TOKEN_KINDS[kind] : undefined
  if (!spec) throw new TypeError('unknown token kind')
  return spec
}

/**
 * Checks `input` against the kind's claim list and returns only the declared claims, or a
 * problem description. Used on both sides: minting refuses bad claims, verification too.
 */
export function pickKindClaims(
  spec: TokenKindSpec,
  input: Readonly<Record<string, unknown>>,
): { ok: true; claims: Record<string, string> } | { ok: false; problem: string } {
  const claims: Record<string, string> = {}
  for (const [name, presence] of Object.entries(spec.claims)) {
    const value = Object.hasOwn(input, name) ? input[name] : undefined
    if (value === undefined) {
      if (presence === 'required') return { ok: false, problem: `claim ${name} is required` }
      continue
    }
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CLAIM_LENGTH) {
      return { ok: false, problem: `claim ${name} must be a non-empty string of at most ${MAX_CLAIM_LENGTH} characters` }
    }
    claims[name] = value
  }
  return { ok: true, claims }
}

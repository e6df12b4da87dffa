// Token kinds as data: adding a kind is one entry in TOKEN_KINDS. Each kind has its own `typ`
// header and audience, so a token minted for one purpose is refused everywhere else.

/** Whether a kind-specific claim must be present. Every kind-specific claim is a string. */
export type ClaimPresence = 'required' | 'optional'

export interface TokenKindSpec {
  /** Exact `typ` header value. */
  readonly typ: string
  /** Exact `aud` claim value (a single string). */
  readonly audience: string
  /** The kind-specific claims, all strings. Nothing outside this list can be minted. */
  readonly claims: Readonly<Record<string, ClaimPresence>>
  /** The claim whose value is also the token's `sub`. */
  readonly subjectClaim: string
}

export const TOKEN_KINDS = {
  /** Lets a pod download one dataset. sub = dataset id. */
  download: {
    typ: 'podlaunch-download+jwt',
    audience: 'podlaunch:download',
    claims: { dataset_id: 'required', deployment_id: 'optional' },
    subjectClaim: 'dataset_id',
  },
  /** Lets a pod report on its own deployment. sub = deployment id. */
  pod: {
    typ: 'podlaunch-pod+jwt',
    audience: 'podlaunch:pod',
    claims: { deployment_id: 'required' },
    subjectClaim: 'deployment_id',
  },
  /** Lets a pod upload or a client fetch one artifact. sub = artifact id. */
  artifact: {
    typ: 'podlaunch-artifact+jwt',
    audience: 'podlaunch:artifact',
    claims: { artifact_id: 'required', deployment_id: 'optional' },
    subjectClaim: 'artifact_id',
  },
} as const satisfies Record<string, TokenKindSpec>

export type TokenKind = keyof typeof TOKEN_KINDS

type ClaimsSpec<K extends TokenKind> = (typeof TOKEN_KINDS)[K]['claims']

/** The kind-specific claims of kind K, e.g. `{dataset_id: string; deployment_id?: string}`. */
export type TokenClaims<K extends TokenKind> = {
  -readonly [P in keyof ClaimsSpec<K> as ClaimsSpec<K>[P] extends 'required' ? P : never]: string
} & {
  -readonly [P in keyof ClaimsSpec<K> as ClaimsSpec<K>[P] extends 'optional' ? P : never]?: string
}

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

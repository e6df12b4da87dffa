// Token kinds as data: adding a kind is one entry in TOKEN_KINDS. Each kind has its own `typ`
// header and audience, so a token minted for one purpose is refused everywhere else. The
// signing and checking (jose) live in @podlaunch/tokens; other servers and pods read the data.

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

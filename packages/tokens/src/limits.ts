// Limits shared by minting and verification.

/** Longest token lifetime: minting refuses more, verification refuses tokens claiming more. */
export const MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60
/** Clock difference tolerated between the minting and the verifying server. */
export const CLOCK_SKEW_SECONDS = 30
/** Longest token accepted for parsing; ours are well under 1 KiB. */
export const MAX_TOKEN_LENGTH = 4096
/** The only signature algorithm minted or accepted. */
export const TOKEN_ALGORITHM = 'EdDSA'

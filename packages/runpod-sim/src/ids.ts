import { randomBytes } from 'node:crypto'

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789'
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length)
  let out = ''
  for (const byte of bytes) out += alphabet[byte % alphabet.length]
  return out
}

/** Pod ids look like RunPod's: 14 lowercase letters and digits. */
export function newPodId(): string {
  return randomString(LOWER, 14)
}

/** API keys look like RunPod's `rpa_…` keys. */
export function newApiKey(): string {
  return `rpa_${randomString(UPPER, 40)}`
}

export function newHostSuffix(): string {
  return randomString('0123456789abcdef', 8)
}

/**
 * Hex SHA-256 of the UTF-8 text through Web Crypto, so the server (Node 20+)
 * and a browser preview compute the same script digest with the same code.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

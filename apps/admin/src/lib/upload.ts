import { parseErrorBody } from '@podlaunch/contract'
import { PodlaunchError } from '@podlaunch/client'

/** Files up to this size are hashed in the browser first (read into memory once). */
export const HASH_LIMIT_BYTES = 256 * 1024 * 1024

/** Lowercase hex sha256 of a file, or undefined when it is too large or Web Crypto is missing. */
export async function sha256OfFile(file: Blob, limit = HASH_LIMIT_BYTES): Promise<string | undefined> {
  if (file.size >= limit || !globalThis.crypto?.subtle) return undefined
  const digest = await globalThis.crypto.subtle.digest('SHA-256', await file.arrayBuffer())
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * The server builds upload URLs from its configured public URL, which may not be how this
 * browser reaches it (a proxy, a dev server): the path goes to this page's own origin.
 */
export function sameOriginUrl(url: string, origin: string): string {
  const parsed = new URL(url, origin)
  return `${origin}${parsed.pathname}${parsed.search}`
}

/** A failed PUT: the server's code from its `{error:{code,message}}` answer, or the SDK's own. */
export class UploadError extends PodlaunchError {
  override readonly name = 'UploadError'
}

/** Percent for a progress bar; a zero-byte file is complete once sent. */
export function percentOf(sent: number, total: number): number {
  if (total <= 0) return 100
  return Math.min(100, Math.round((sent / total) * 100))
}

/**
 * PUTs the bytes with XMLHttpRequest, because fetch has no upload progress events. Resolves
 * with the server's JSON answer; rejects with the server's error code.
 */
export function putWithProgress(options: {
  url: string
  apiKey: string
  file: Blob
  onProgress: (sent: number, total: number) => void
  signal?: AbortSignal
}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', options.url)
    xhr.setRequestHeader('Authorization', `Bearer ${options.apiKey}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.upload.onprogress = (event) => options.onProgress(event.loaded, event.lengthComputable ? event.total : options.file.size)
    xhr.onload = () => {
      let body: unknown
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = undefined
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress(options.file.size, options.file.size)
        resolve(body)
        return
      }
      const error = parseErrorBody(body)
      reject(
        error
          ? new UploadError(error.code, error.message, xhr.status)
          : new UploadError('UNEXPECTED_RESPONSE', `the upload failed with HTTP ${xhr.status}`, xhr.status),
      )
    }
    xhr.onerror = () => reject(new UploadError('NETWORK_ERROR', 'the upload was cut off (network error)'))
    xhr.onabort = () => reject(new UploadError('ABORTED', 'the upload was cancelled'))
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(options.file)
  })
}

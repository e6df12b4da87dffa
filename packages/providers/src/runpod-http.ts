import { detailOf } from './runpod-answers.ts'
import { ProviderError } from './types.ts'

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>
export type SleepFn = (ms: number) => Promise<void>

export interface RunpodHttpOptions {
  apiKey: string
  /** Ends in /v2; no trailing slash needed. */
  baseUrl: string
  fetch: FetchFn
  sleep: SleepFn
  /** Retries after a 429, a 5xx or a network error, per call. */
  maxRetries: number
  backoffBaseMs: number
  maxBackoffMs: number
  maxRetryAfterSeconds: number
  requestTimeoutMs: number
  now: () => number
  /** Applied to every detail that leaves this module. */
  redact: (text: string) => string
}

export interface Answer {
  status: number
  json: unknown
  detail: string
  /** The Retry-After header of a 429. */
  retryAfter?: string | null
}

/** Thrown by one attempt that got no answer (connection refused, reset, timed out). */
class NetworkError extends Error {}

export interface CallOptions {
  body?: unknown
  signal?: AbortSignal | undefined
  /**
   * Runs before a retry that follows a 5xx or a network error, where the first attempt may
   * have taken effect; an answer from it is used instead of retrying.
   */
  beforeAmbiguousRetry?: () => Promise<Answer | undefined>
}

/**
 * One RunPod REST v2 call with the retry policy: 429 waits Retry-After (capped), 5xx and
 * network errors back off exponentially, anything else is returned to the caller at once.
 * Exhausted retries throw `rate_limited` (429) or `provider_error`.
 */
export async function callRunpod(http: RunpodHttpOptions, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  let ambiguous = false
  for (let attempt = 0; ; attempt += 1) {
    if (ambiguous && options.beforeAmbiguousRetry !== undefined) {
      const found = await options.beforeAmbiguousRetry()
      if (found !== undefined) return found
    }
    let answer: Answer | undefined
    let failure: string | undefined
    let waitMs: number
    try {
      answer = await send(http, method, path, options)
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error
      failure = error.message
    }
    if (answer !== undefined && answer.status !== 429 && answer.status < 500) return answer
    ambiguous = answer === undefined || answer.status >= 500
    if (answer?.status === 429) {
      waitMs = retryAfterMs(answer, http) ?? backoffMs(http, attempt)
    } else {
      waitMs = backoffMs(http, attempt)
    }
    if (attempt >= http.maxRetries) {
      const what = answer === undefined ? `no answer (${failure})` : `${answer.status}: ${answer.detail}`
      const code = answer?.status === 429 ? 'rate_limited' : 'provider_error'
      throw new ProviderError(code, `RunPod ${method} ${path} failed after ${attempt + 1} attempts: ${what}`, {
        status: answer?.status,
        detail: answer?.detail ?? failure,
      })
    }
    await abortableSleep(http.sleep, waitMs, options.signal)
  }
}

async function send(http: RunpodHttpOptions, method: string, path: string, options: CallOptions): Promise<Answer> {
  throwIfAborted(options.signal)
  const timeout = AbortSignal.timeout(http.requestTimeoutMs)
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
  const headers: Record<string, string> = { authorization: `Bearer ${http.apiKey}`, accept: 'application/json' }
  const init: RequestInit = { method, headers, signal }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify(options.body)
  }
  let response: Response
  let text: string
  try {
    response = await http.fetch(`${http.baseUrl.replace(/\/+$/, '')}${path}`, init)
    text = await response.text()
  } catch (error) {
    throwIfAborted(options.signal)
    // Node's fetch says "fetch failed" and keeps the reason in `cause`.
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
    const reason = timeout.aborted ? `timed out after ${http.requestTimeoutMs} ms` : String(cause?.code ?? cause?.message ?? error)
    throw new NetworkError(http.redact(reason))
  }
  let json: unknown
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  const detail = response.ok ? '' : http.redact(detailOf(response.status, json, text))
  return { status: response.status, json, detail, retryAfter: response.headers.get('retry-after') }
}

function retryAfterMs(answer: Answer, http: RunpodHttpOptions): number | undefined {
  const header = answer.retryAfter
  if (header === null || header === undefined || header.trim() === '') return undefined
  let seconds: number
  if (/^\d+$/.test(header.trim())) seconds = Number(header.trim())
  else {
    const at = Date.parse(header)
    if (Number.isNaN(at)) return undefined
    seconds = Math.max(0, (at - http.now()) / 1000)
  }
  return Math.min(seconds, http.maxRetryAfterSeconds) * 1000
}

function backoffMs(http: RunpodHttpOptions, attempt: number): number {
  return Math.min(http.backoffBaseMs * 2 ** attempt, http.maxBackoffMs)
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProviderError('aborted', 'RunPod call aborted')
}

async function abortableSleep(sleep: SleepFn, ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal)
  if (signal === undefined) return sleep(ms)
  let onAbort: (() => void) | undefined
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([sleep(ms), aborted])
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort)
  }
  throwIfAborted(signal)
}

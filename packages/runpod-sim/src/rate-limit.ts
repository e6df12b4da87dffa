import type { Clock } from './types.ts'

interface Window {
  name: string
  quota: number
  seconds: number
}

const WINDOWS: readonly Window[] = [
  { name: 'minute', quota: 60, seconds: 60 },
  { name: 'hour', quota: 3000, seconds: 3600 },
  { name: 'day', quota: 50000, seconds: 86400 },
]

/** The static policy, in the document's structured-field form. */
export const RATE_LIMIT_POLICY = WINDOWS.map((w) => `"${w.name}";q=${w.quota};w=${w.seconds}`).join(', ')

/**
 * Counts requests per fixed window so `RateLimit` looks live. The simulator never enforces
 * these quotas on its own: 429s come only from the fault plan, which zeroes the minute window.
 */
export class RateLimitMeter {
  readonly #clock: Clock
  readonly #counts = new Map<string, { start: number; count: number }>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Records one request and returns the `RateLimit` and `RateLimit-Policy` headers. */
  hit(): Record<string, string> {
    const nowSeconds = this.#nowSeconds()
    for (const w of WINDOWS) {
      const start = nowSeconds - (nowSeconds % w.seconds)
      const current = this.#counts.get(w.name)
      if (current !== undefined && current.start === start) current.count += 1
      else this.#counts.set(w.name, { start, count: 1 })
    }
    return this.headers()
  }

  /** The current headers; `throttledForSeconds` shows an exhausted minute window. */
  headers(throttledForSeconds?: number): Record<string, string> {
    const nowSeconds = this.#nowSeconds()
    const members = WINDOWS.map((w) => {
      const start = nowSeconds - (nowSeconds % w.seconds)
      const current = this.#counts.get(w.name)
      const used = current !== undefined && current.start === start ? current.count : 0
      const exhausted = throttledForSeconds !== undefined && w.name === 'minute'
      const remaining = exhausted ? 0 : Math.max(0, w.quota - used)
      const reset = exhausted ? throttledForSeconds : start + w.seconds - nowSeconds
      return `"${w.name}";r=${remaining};t=${reset}`
    })
    return { RateLimit: members.join(', '), 'RateLimit-Policy': RATE_LIMIT_POLICY }
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock.now() / 1000)
  }
}

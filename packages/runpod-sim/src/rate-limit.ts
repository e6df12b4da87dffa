import type { Clock } from "./types.ts";

interface Window {
  name: string;
  quota: number;
  seconds: number;
}

const WINDOWS: readonly Window[] = [
  { name: "minute", quota: 60, seconds: 60 },
  { name: "hour", quota: 3000, seconds: 3600 },
  { name: "day", quota: 50000, seconds: 86400 },
];

/** The static policy, in the document's structured-field form. */
export const RATE_LIMIT_POLICY = WINDOWS.map((w) => `"${w.name}";q=${w.quota};w=${w.seconds}`).join(", ");

/**
 * Counts requests per fixed window so `RateLimit` looks live. The simulator never enforces
 * these quotas on its own: 429s come only from the fault plan, which zeroes the minute window.
 */
export class RateLimitMeter {
  readonly #clock: Clock;
  readonly #counts = new Map<string, { start: number; count: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Records one request and returns the `RateLimit` and `RateLimit-Policy` headers. */
  hit(throttledForSeconds?: number): Record<string, string> {
    const nowSeconds = Math.floor(this.#clock.now() / 1000);
    const members = WINDOWS.map((w) => {
      const start = nowSeconds - (nowSeconds % w.seconds);
      const current = this.#counts.get(w.name);
      const state = current !== undefined && current.start === start ? current : { start, count: 0 };
      state.count += 1;
      this.#counts.set(w.name, state);
      let remaining = Math.max(0, w.quota - state.count);
      let reset = start + w.seconds - nowSeconds;
      if (throttledForSeconds !== undefined && w.name === "minute") {
        remaining = 0;
        reset = throttledForSeconds;
      }
      return `"${w.name}";r=${remaining};t=${reset}`;
    });
    return { RateLimit: members.join(", "), "RateLimit-Policy": RATE_LIMIT_POLICY };
  }
}

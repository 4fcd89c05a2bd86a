/**
 * A token-bucket limiter for log lines that keeps count of what it holds back: a flood of
 * identical problems (1000 garbage connections in 0.1 s) becomes a few lines plus a count,
 * and the count is never lost (no I/O; the caller passes the time).
 *
 * @module
 */

/** A line let through, with how many were held back since the previous one. */
export interface Released<T> {
  /** The item to write. */
  item: T;
  /** Items not written since the previous released one (0 when none). */
  suppressed: number;
}

/** Options of {@linkcode SuppressingLimiter}. */
export interface LimiterOptions {
  /** Items let through at once after a quiet time; default 20. */
  burst?: number;
  /** Items let through per second after the burst; default 5. */
  perSecond?: number;
}

/**
 * Lets items through at `perSecond` with bursts of `burst`; counts the others. The last item
 * held back is kept: {@linkcode SuppressingLimiter.flush} releases it later with the count of
 * the ones before it, so written lines plus the sum of `suppressed` is every item offered.
 *
 * @example
 * ```ts
 * import { SuppressingLimiter } from "./rate_limit.ts";
 * import assert from "node:assert/strict";
 * const limiter = new SuppressingLimiter<string>({ burst: 2, perSecond: 1 });
 * assert.deepEqual(limiter.offer("a", 0), { item: "a", suppressed: 0 });
 * assert.deepEqual(limiter.offer("b", 0), { item: "b", suppressed: 0 });
 * assert.equal(limiter.offer("c", 0), null); // held back
 * assert.equal(limiter.offer("d", 0), null); // held back ("c" is now only counted)
 * assert.deepEqual(limiter.flush(1000), { item: "d", suppressed: 1 });
 * ```
 */
export class SuppressingLimiter<T> {
  #burst: number;
  #perMs: number;
  #tokens: number;
  #at: number | null = null;
  #suppressed = 0;
  #held: T | null = null;

  /** Starts with a full bucket. */
  constructor(options: LimiterOptions = {}) {
    this.#burst = options.burst ?? 20;
    this.#perMs = (options.perSecond ?? 5) / 1000;
    this.#tokens = this.#burst;
  }

  /** Items held back and not yet released. */
  get pending(): number {
    return this.#suppressed;
  }

  /** Offers an item at time `now` (ms); returns it when it may be written, else `null`. */
  offer(item: T, now: number): Released<T> | null {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens--;
      const out = { item, suppressed: this.#suppressed };
      this.#suppressed = 0;
      this.#held = null;
      return out;
    }
    this.#suppressed++;
    this.#held = item;
    return null;
  }

  /**
   * Releases the last item held back, with the count of those before it, when a token is
   * available at `now` (or always with `force`, e.g. before the log ends); else `null`.
   */
  flush(now: number, options: { force?: boolean } = {}): Released<T> | null {
    if (this.#held === null) return null;
    this.#refill(now);
    if (this.#tokens < 1 && !options.force) return null;
    if (this.#tokens >= 1) this.#tokens--;
    const out = { item: this.#held, suppressed: this.#suppressed - 1 };
    this.#held = null;
    this.#suppressed = 0;
    return out;
  }

  #refill(now: number): void {
    if (this.#at !== null && now > this.#at) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs);
    }
    if (this.#at === null || now > this.#at) this.#at = now;
  }
}

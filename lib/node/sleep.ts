/**
 * A wait that an abort ends early (for backoffs that must not delay a shutdown).
 *
 * @module
 */

/**
 * Resolves after `ms`, or as soon as `signal` aborts.
 *
 * @example
 * ```ts
 * import { sleep } from "./sleep.ts";
 * import assert from "node:assert/strict";
 * const stop = new AbortController();
 * const t0 = Date.now();
 * const waiting = sleep(10_000, stop.signal);
 * stop.abort();
 * await waiting;
 * assert.ok(Date.now() - t0 < 1000);
 * ```
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", done);
      resolve();
    }, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

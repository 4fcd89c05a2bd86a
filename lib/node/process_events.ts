/**
 * Process-wide events a running node answers: any error nothing else caught (the last-resort
 * path, END "failed"), plus the wall clock. (SIGINT/SIGTERM: `../io/stop_signals.ts`.)
 *
 * @module
 */

/**
 * Wall-clock time in fractional ms since the Unix epoch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wallNow } from "./process_events.ts";
 * assert.ok(Math.abs(wallNow() - Date.now()) < 1000);
 * ```
 */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Calls `fail` with any error nothing else caught (an uncaught exception or an unhandled
 * rejection anywhere in the process) instead of letting it end the process; returns a
 * function that removes the handlers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onUncaught } from "./process_events.ts";
 * const seen: unknown[] = [];
 * const remove = onUncaught((err) => seen.push(err));
 * Promise.reject(new Error("lost"));
 * await new Promise((r) => setTimeout(r, 0));
 * remove();
 * assert.ok(seen[0] instanceof Error && seen[0].message === "lost");
 * ```
 */
export function onUncaught(fail: (err: unknown) => void): () => void {
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    fail(e.error ?? e.message);
  };
  const onRejection = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    fail(e.reason);
  };
  globalThis.addEventListener("error", onError);
  globalThis.addEventListener("unhandledrejection", onRejection);
  return () => {
    globalThis.removeEventListener("error", onError);
    globalThis.removeEventListener("unhandledrejection", onRejection);
  };
}

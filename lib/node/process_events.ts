/**
 * Process-wide events a running node answers: SIGINT/SIGTERM (stop in order, END written) and
 * any error nothing else caught (the last-resort path, END "failed"), plus the wall clock.
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
 * Calls `stop` with the signal's name on SIGINT and SIGTERM; returns a function that removes
 * the listeners.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onStopSignals } from "./process_events.ts";
 * const remove = onStopSignals(() => {});
 * assert.equal(typeof remove, "function");
 * remove();
 * ```
 */
export function onStopSignals(stop: (signal: Deno.Signal) => void): () => void {
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  const handlers = signals.map((s) => () => stop(s));
  signals.forEach((s, i) => Deno.addSignalListener(s, handlers[i]));
  return () => signals.forEach((s, i) => Deno.removeSignalListener(s, handlers[i]));
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

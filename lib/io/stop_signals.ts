/**
 * SIGINT and SIGTERM as a request to stop in order: a node writes END, a cluster or an
 * experiment stops its runs and reports what it has.
 *
 * @module
 */

/**
 * Calls `stop` with the signal's name on SIGINT and SIGTERM; returns a function that removes
 * the listeners.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onStopSignals } from "./stop_signals.ts";
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

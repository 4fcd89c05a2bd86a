/**
 * The default time window of the space-time diagram: a slice from the run's start in which
 * the busiest machine logs at most ~60 events (its clock rate × the length) and all the
 * machines drawn at most ~200, at most 10 s.
 *
 * @module
 */

/** A window in seconds since the run started. */
export interface TimeWindow {
  /** Start (s). */
  from: number;
  /** End (s). */
  to: number;
}

const MAX_SECONDS = 10;
const EVENTS_PER_ROW = 60;
const EVENTS_IN_ALL = 200;
/** Most machine lines the static diagram draws (the lowest ids). */
export const SPACETIME_ROWS = 32;

/**
 * The default window for the machines drawn, ticking at `rates` per second, in a run of
 * `duration` s: from 0 to the largest of 1, 2, 5 × 10^k seconds with at most 60 events per
 * machine and 200 in all (≤ 10 s, ≤ the run).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultWindow } from "./window.ts";
 * assert.deepEqual(defaultWindow([3, 6, 1], 60), { from: 0, to: 10 });
 * assert.deepEqual(defaultWindow([3, 4, 5, 6, 6, 3, 2, 6], 60), { from: 0, to: 5 });
 * assert.deepEqual(defaultWindow([1000, 6000], 111), { from: 0, to: 0.01 });
 * assert.deepEqual(defaultWindow([2], 4.5), { from: 0, to: 4.5 });
 * ```
 */
export function defaultWindow(rates: number[], duration: number): TimeWindow {
  const known = rates.filter((r) => Number.isFinite(r) && r > 0);
  const busiest = Math.max(0, ...known), sum = known.reduce((a, b) => a + b, 0);
  let len = busiest > 0
    ? Math.min(MAX_SECONDS, EVENTS_PER_ROW / busiest, EVENTS_IN_ALL / sum)
    : MAX_SECONDS;
  const p = 10 ** Math.floor(Math.log10(len));
  const nice = [5, 2, 1].map((m) => m * p).find((x) => x <= len * (1 + 1e-9)) ?? p;
  len = Number(nice.toPrecision(6));
  return { from: 0, to: duration > 0 ? Math.min(len, duration) : len };
}

/**
 * Parses `START:END` (seconds since the run start, END > START ≥ 0; END may be left out for
 * "START + 10"). Throws a RangeError naming the input otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWindow } from "./window.ts";
 * assert.deepEqual(parseWindow("30:40"), { from: 30, to: 40 });
 * assert.deepEqual(parseWindow("5:"), { from: 5, to: 15 });
 * assert.throws(() => parseWindow("9:3"), /END must be greater than START/);
 * ```
 */
export function parseWindow(text: string): TimeWindow {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*:\s*([0-9]*\.?[0-9]+)?\s*$/.exec(text);
  if (m === null) {
    throw new RangeError(
      `Cannot use --window as it must be START:END in seconds since the run start (e.g. 0:10): current value is "${text}"`,
    );
  }
  const from = Number(m[1]);
  const to = m[2] === undefined ? from + MAX_SECONDS : Number(m[2]);
  if (!(to > from)) {
    throw new RangeError(
      `Cannot use --window as END must be greater than START: current value is "${text}"`,
    );
  }
  return { from, to };
}

/**
 * The window as a title says it: "first 10 s of a 60 s run", "20–30 s of a 60 s run", with
 * " (cut at the event limit)" when the events stop at `cutAt` (s) instead.
 *
 * @example
 * ```ts
 * import { describeWindow } from "./window.ts";
 * import assert from "node:assert/strict";
 * const run = { duration: 60, cutAt: null };
 * assert.equal(describeWindow({ from: 0, to: 10, chosen: false }, run), "first 10 s of a 60 s run");
 * assert.equal(describeWindow({ from: 20, to: 30, chosen: true }, run), "20–30 s of a 60 s run");
 * assert.equal(
 *   describeWindow({ from: 0, to: 60, chosen: false }, { duration: 60, cutAt: 41.5 }),
 *   "first 41.5 s of a 60 s run (cut at the event limit)",
 * );
 * ```
 */
export function describeWindow(
  window: TimeWindow & { chosen: boolean },
  run: { duration: number; cutAt: number | null },
): string {
  const secs = (x: number) => `${Number(x.toFixed(x >= 10 ? 1 : 3))} s`;
  const whole = `a ${secs(run.duration)} run`;
  const to = run.cutAt ?? Math.min(window.to, run.duration);
  const cut = run.cutAt !== null ? " (cut at the event limit)" : "";
  if (window.from === 0 && !window.chosen) return `first ${secs(to)} of ${whole}${cut}`;
  return `${Number(window.from.toFixed(3))}–${secs(to)} of ${whole}${cut}`;
}

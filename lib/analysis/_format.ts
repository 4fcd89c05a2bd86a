/**
 * How the summary writes numbers and durations: at most a few decimals, no trailing zeros,
 * milliseconds below 10 s and seconds from there.
 *
 * @module
 */

/**
 * Formats a number with at most `digits` decimals (no trailing zeros); null/NaN → "n/a".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmt } from "./_format.ts";
 * assert.equal(fmt(2.5), "2.5");
 * assert.equal(fmt(1 / 3), "0.333");
 * assert.equal(fmt(null), "n/a");
 * ```
 */
export function fmt(x: number | null, digits = 3): string {
  if (x === null || Number.isNaN(x)) return "n/a";
  return String(Number(x.toFixed(digits)));
}

/**
 * `x` rounded to one decimal: the charts' SVG coordinates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { r1 } from "./_format.ts";
 * assert.equal(r1(12.345), 12.3);
 * ```
 */
export function r1(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * A duration given in seconds: "240.7 ms" below 10 s, "172.9 s" from 10 s on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { duration } from "./_format.ts";
 * assert.equal(duration(0.2407), "240.7 ms");
 * assert.equal(duration(9.9994), "9999.4 ms");
 * assert.equal(duration(172.9464), "172.9 s");
 * ```
 */
export function duration(seconds: number): string {
  return seconds < 10 ? `${fmt(seconds * 1000, 1)} ms` : `${fmt(seconds, 1)} s`;
}

/**
 * Durations given in seconds, all in the unit {@link duration} picks for the largest, so a
 * mean and a max read alike: "240.7 ms, 1000 ms" or "6.7 s, 12.5 s".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { durations } from "./_format.ts";
 * assert.deepEqual(durations([0.2407, 1]), ["240.7 ms", "1000 ms"]);
 * assert.deepEqual(durations([6.6995, 12.5]), ["6.7 s", "12.5 s"]);
 * ```
 */
export function durations(seconds: number[]): string[] {
  const inSeconds = Math.max(...seconds) >= 10;
  return seconds.map((x) => inSeconds ? `${fmt(x, 1)} s` : `${fmt(x * 1000, 1)} ms`);
}

/**
 * "1 message" or "3 messages": `count` with the noun in the right number (`plural` for
 * irregular nouns).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { count } from "./_format.ts";
 * assert.equal(count(1, "message"), "1 message");
 * assert.equal(count(3, "message"), "3 messages");
 * assert.equal(count(2, "directory", "directories"), "2 directories");
 * ```
 */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : plural}`;
}

/**
 * Number formatting for the experiment's report: the same figure always prints the same
 * way, with as many decimals as its size warrants.
 *
 * @module
 */
import type { SampleStats } from "./stats.ts";

/**
 * A number for the report: integers as they are, else 2 decimals below 10, 1 below 1000,
 * none above; "−" for negatives (a true minus sign); "-" for null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { num } from "./format.ts";
 * assert.equal(num(96.4321), "96.4");
 * assert.equal(num(0.0349), "0.03");
 * assert.equal(num(-1.5), "−1.50");
 * assert.equal(num(null), "-");
 * ```
 */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  x = Math.round(x * 1e9) / 1e9; // float noise (0.9999999999) must not hide an integer
  const a = Math.abs(x);
  const text = Number.isInteger(x) ? String(a) : a.toFixed(a < 10 ? 2 : a < 1000 ? 1 : 0);
  return (x < 0 && Number(text) !== 0 ? "−" : "") + text;
}

/**
 * Mean with its confidence interval: "96.4 [60.1, 132.7]", or the mean alone with one trial.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanCi } from "./format.ts";
 * assert.equal(meanCi({ n: 2, mean: 3, sd: 1, low: 1.5, high: 4.5, min: 2, max: 4 }), "3 [1.50, 4.50]");
 * assert.equal(meanCi(null), "-");
 * ```
 */
export function meanCi(s: SampleStats | null): string {
  if (s === null) return "-";
  return s.low === null ? num(s.mean) : `${num(s.mean)} [${num(s.low)}, ${num(s.high)}]`;
}

/**
 * Relative change from `a` to `b` as "+12%" / "−97%" (a tenfold rise or more as "×16.5"),
 * or "" when `a` is 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { percent } from "./format.ts";
 * assert.equal(percent(100, 3), "−97%");
 * assert.equal(percent(0, 3), "");
 * assert.equal(percent(2, 33), "×16.5");
 * ```
 */
export function percent(a: number, b: number): string {
  if (a === 0) return "";
  if (a > 0 && b / a >= 10) return `×${num(Math.round((b / a) * 10) / 10)}`;
  const p = Math.round(((b - a) / Math.abs(a)) * 100);
  return `${p > 0 ? "+" : p < 0 ? "−" : "±"}${Math.abs(p)}%`;
}

/**
 * A markdown table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./format.ts";
 * assert.equal(table(["a", "b"], [["1", "2"]]), "| a | b |\n| --- | --- |\n| 1 | 2 |\n");
 * ```
 */
export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

/**
 * The run flags of a scenario as text: "rate-min=3, rate-max=4", or "defaults".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagsText } from "./format.ts";
 * assert.equal(flagsText({ "die-sides": "4" }), "die-sides=4");
 * assert.equal(flagsText({}), "defaults");
 * ```
 */
export function flagsText(flags: Record<string, string>): string {
  const parts = Object.entries(flags).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? "defaults" : parts.join(", ");
}

/**
 * "1 trial", "5 trials".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plural } from "./format.ts";
 * assert.equal(plural(1, "trial"), "1 trial");
 * assert.equal(plural(4, "scenario"), "4 scenarios");
 * ```
 */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * What an experiment consists of, e.g. "4 scenarios × 5 trials × 60 s, 3 machines" or, for
 * a sweep, "count 2..32 (31 points) × 5 trials × 60 s".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentShape } from "./format.ts";
 * assert.equal(
 *   experimentShape({ scenarios: 4, trials: 5, duration: 60, count: 3, sweep: null }),
 *   "4 scenarios × 5 trials × 60 s, 3 machines",
 * );
 * assert.equal(
 *   experimentShape({ scenarios: 3, trials: 1, duration: 60, count: 2, sweep: { flag: "count", values: [2, 3, 4] } }),
 *   "count 2..4 (3 points) × 1 trial × 60 s",
 * );
 * ```
 */
export function experimentShape(o: {
  scenarios: number;
  trials: number;
  duration: number;
  count: number;
  sweep: { flag: string; values: number[] } | null;
}): string {
  const what = o.sweep
    ? `${o.sweep.flag} ${o.sweep.values[0]}..${o.sweep.values.at(-1)} (${
      plural(o.sweep.values.length, "point")
    })${
      o.scenarios > o.sweep.values.length
        ? ` of ${o.scenarios / o.sweep.values.length} scenarios`
        : ""
    }`
    : plural(o.scenarios, "scenario");
  const time = o.sweep?.flag === "duration" ? "" : ` × ${o.duration} s`;
  const machines = o.sweep?.flag === "count" ? "" : `, ${plural(o.count, "machine")}`;
  return `${what} × ${plural(o.trials, "trial")}${time}${machines}`;
}

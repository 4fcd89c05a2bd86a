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
 * assert.equal(meanCi({ n: 2, mean: 3, sd: 1, low: 1.5, high: 4.5, min: 2, max: 4 }), "3.00 [1.50, 4.50]");
 * assert.equal(meanCi(null), "-");
 * ```
 */
export function meanCi(s: SampleStats | null): string {
  if (s === null) return "-";
  const mean = num(round(s.mean));
  return s.low === null ? mean : `${mean} [${num(round(s.low))}, ${num(round(s.high))}]`;
}

/** Rounds away float noise (1e-9) so integers print as integers. */
function round(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1e9) / 1e9;
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

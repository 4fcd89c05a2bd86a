/**
 * Charts with many machines: beyond {@link MAX_SERIES} series a panel shows, per pixel
 * column, the band from the minimum to the maximum over the machines and their median, plus
 * the extreme machines as their own series — legible for 1000 machines where 1000 lines are not.
 *
 * @module
 */
import type { ChartSeries } from "./_chart_types.ts";

/** Most series a panel draws one by one. */
export const MAX_SERIES = 10;

/** Min, median and max over the series at each column time (NaN where none has a value). */
export interface Band {
  /** Column times. */
  t: Float64Array;
  /** Minimum. */
  lo: Float64Array;
  /** Median. */
  mid: Float64Array;
  /** Maximum. */
  hi: Float64Array;
}

/**
 * The band of `series` over `columns` columns of `domain`: for step series the value each
 * holds at the column's centre, for point series the points that fall in the column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bandOf } from "./_chart_band.ts";
 * const s = (v: number) => ({ name: "m", t: new Float64Array([0]), v: new Float64Array([v]) });
 * const b = bandOf([s(1), s(5), s(3)], { mode: "step", domain: [0, 1], columns: 2 });
 * assert.deepEqual([b.lo[1], b.mid[1], b.hi[1]], [1, 3, 5]);
 * ```
 */
export function bandOf(
  series: ChartSeries[],
  o: { mode: "step" | "points"; domain: [number, number]; columns: number },
): Band {
  const [a, b] = o.domain, n = o.columns, span = (b - a) / n;
  const t = new Float64Array(n), lo = new Float64Array(n).fill(NaN);
  const mid = new Float64Array(n).fill(NaN), hi = new Float64Array(n).fill(NaN);
  const cols: number[][] = Array.from({ length: n }, () => []);
  for (const s of series) {
    if (o.mode === "points") {
      for (let k = 0; k < s.t.length; k++) {
        const c = Math.floor((s.t[k] - a) / span);
        if (c >= 0 && c < n && Number.isFinite(s.v[k])) cols[c].push(s.v[k]);
      }
      continue;
    }
    let k = -1;
    for (let c = 0; c < n; c++) {
      const tc = a + (c + 0.5) * span;
      while (k + 1 < s.t.length && s.t[k + 1] <= tc) k++;
      if (k >= 0 && Number.isFinite(s.v[k])) cols[c].push(s.v[k]);
    }
  }
  for (let c = 0; c < n; c++) {
    t[c] = a + (c + 0.5) * span;
    const v = cols[c].sort((x, y) => x - y);
    if (v.length === 0) continue;
    lo[c] = v[0];
    hi[c] = v[v.length - 1];
    const m = v.length >> 1;
    mid[c] = v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
  }
  return { t, lo, mid, hi };
}

/**
 * The series drawn on top of the band: for step series the ones ending highest and lowest,
 * for point series the one with the largest value. Returns [index, legend suffix] pairs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extremeSeries } from "./_chart_band.ts";
 * const s = (v: number[]) => ({ name: "m", t: new Float64Array(v.length), v: Float64Array.from(v) });
 * assert.deepEqual(extremeSeries([s([1, 9]), s([5, 2]), s([3, 4])], "step"), [
 *   [0, "highest at the end"],
 *   [1, "lowest at the end"],
 * ]);
 * ```
 */
export function extremeSeries(
  series: ChartSeries[],
  mode: "step" | "points",
): [number, string][] {
  let hi = -1, lo = -1, hiV = -Infinity, loV = Infinity;
  series.forEach((s, i) => {
    if (s.v.length === 0) return;
    let v = s.v[s.v.length - 1];
    if (mode === "points") v = s.v.reduce((m, x) => (x > m ? x : m), -Infinity);
    if (v > hiV) (hi = i, hiV = v);
    if (v < loV) (lo = i, loV = v);
  });
  if (hi < 0) return [];
  if (mode === "points") return [[hi, "largest value"]];
  return hi === lo ? [[hi, "highest at the end"]] : [
    [hi, "highest at the end"],
    [lo, "lowest at the end"],
  ];
}

/**
 * "Clock minus the fastest machine's clock": each machine's Lamport clock less the clock of a
 * reference machine at the same instant, sampled on a fine time grid from the per-pixel clock
 * series. Clocks that rise together (a 3-node, 60 s run) draw as one line in the clock panel;
 * their differences (a few ticks) are what a student needs to see.
 *
 * @module
 */
import type { SeriesPoints } from "./_downsample.ts";

/**
 * The difference series: the step value of series `i` minus that of series `ref` (the value
 * each holds since its last point), sampled at `samples` times evenly over `[0, end]`, then
 * averaged over windows of `window` samples (default 1: no averaging; the two clocks tick at
 * different instants, so the exact difference flickers by one tick). A point is drawn at each
 * window's start, from the samples where both clocks have started.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clockOffsets } from "./_clock_offset.ts";
 * const s = (t: number[], v: number[]) => ({ t: Float64Array.from(t), v: Float64Array.from(v) });
 * const [slow, fast] = clockOffsets([s([0, 2], [0, 1]), s([0, 1, 2], [0, 2, 4])], {
 *   ref: 1,
 *   end: 2,
 *   samples: 3,
 * });
 * assert.deepEqual([...slow.t], [0, 1, 2]);
 * assert.deepEqual([...slow.v], [0, -2, -3]);
 * assert.deepEqual([...fast.v], [0, 0, 0]);
 * const [mean] = clockOffsets([s([0, 2], [0, 1]), s([0, 1, 2], [0, 2, 4])], {
 *   ref: 1,
 *   end: 2,
 *   samples: 3,
 *   window: 2,
 * });
 * assert.deepEqual([...mean.v], [-1, -3]); // (0 − 2) / 2, then −3 alone
 * ```
 */
export function clockOffsets(
  series: SeriesPoints[],
  o: { ref: number; end: number; samples: number; window?: number },
): SeriesPoints[] {
  const n = Math.max(2, o.samples), w = Math.max(1, o.window ?? 1);
  const grid = Float64Array.from({ length: n }, (_, k) => (o.end * k) / (n - 1));
  const ref = stepValues(series[o.ref], grid);
  return series.map((s) => {
    const mine = stepValues(s, grid);
    const t: number[] = [], v: number[] = [];
    for (let from = 0; from < n; from += w) {
      let sum = 0, count = 0;
      for (let k = from; k < Math.min(n, from + w); k++) {
        const d = mine[k] - ref[k];
        if (Number.isFinite(d)) (sum += d, count++);
      }
      if (count > 0) (t.push(grid[from]), v.push(sum / count));
    }
    return { t: Float64Array.from(t), v: Float64Array.from(v) };
  });
}

/** The value `s` holds at each grid time (its last point at or before it), NaN before it starts. */
function stepValues(s: SeriesPoints, grid: Float64Array): Float64Array {
  const out = new Float64Array(grid.length).fill(NaN);
  let p = -1;
  for (let k = 0; k < grid.length; k++) {
    while (p + 1 < s.t.length && s.t[p + 1] <= grid[k]) p++;
    if (p >= 0) out[k] = s.v[p];
  }
  return out;
}

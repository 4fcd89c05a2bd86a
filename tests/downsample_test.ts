import assert from "node:assert/strict";
import { PixelSeries } from "../lib/analysis/_downsample.ts";

function feed(s: PixelSeries, pts: [number, number][]): void {
  for (const [t, v] of pts) s.add(t, v);
}

function pairs(s: PixelSeries): [number, number][] {
  const { t, v } = s.points();
  return Array.from(t, (x, i) => [x, v[i]]);
}

Deno.test("PixelSeries.points() keeps first, min, max and last of each column in time order", () => {
  const s = new PixelSeries({ start: 0, end: 10, columns: 2 });
  feed(s, [[0, 1], [1, 5], [1.5, 4], [2, 0], [2.5, 3], [3, 2], [7, 4]]);
  assert.equal(s.count, 7);
  // Column 0 drops (1.5, 4) and (2.5, 3): neither first, lowest, highest nor last.
  assert.deepEqual(pairs(s), [[0, 1], [1, 5], [2, 0], [3, 2], [7, 4]]);
});

Deno.test("PixelSeries.points() emits one point for a column with a single point", () => {
  const s = new PixelSeries({ start: 0, end: 4, columns: 4 });
  feed(s, [[0.5, 9], [3.5, 2], [3.6, 2]]);
  assert.deepEqual(pairs(s), [[0.5, 9], [3.5, 2], [3.6, 2]]);
});

Deno.test("PixelSeries.points() keeps arrival order for points with equal times", () => {
  const s = new PixelSeries({ start: 0, end: 10, columns: 1 });
  feed(s, [[1, 1], [1, 5], [1, 4], [1, 3]]);
  assert.deepEqual(pairs(s), [[1, 1], [1, 5], [1, 3]]);
});

Deno.test("PixelSeries.add() clamps t outside [start, end] into the edge columns, keeping t", () => {
  const s = new PixelSeries({ start: 10, end: 20, columns: 10 });
  feed(s, [[-5, 1], [10.2, 2], [25, 3], [1e300, 4]]);
  assert.equal(s.count, 4);
  assert.deepEqual(pairs(s), [[-5, 1], [10.2, 2], [25, 3], [1e300, 4]]);
  // (-1e300, 0) becomes column 0's earliest and lowest point; (-5, 1) is then interior.
  s.add(-1e300, 0);
  assert.deepEqual(pairs(s), [[-1e300, 0], [10.2, 2], [25, 3], [1e300, 4]]);
});

Deno.test("PixelSeries.points() is in time order even when t goes backwards in a column", () => {
  const s = new PixelSeries({ start: 0, end: 1, columns: 1 });
  feed(s, [[0.5, 1], [0.2, 7], [0.9, 2], [0.4, -3]]);
  assert.deepEqual(pairs(s), [[0.2, 7], [0.4, -3], [0.9, 2]]);
});

Deno.test("PixelSeries with start === end puts every point into one column", () => {
  const s = new PixelSeries({ start: 5, end: 5, columns: 100 });
  feed(s, [[5, 1], [5, 9], [6, 0], [7, 4]]);
  assert.deepEqual(pairs(s), [[5, 1], [5, 9], [6, 0], [7, 4]]);
});

Deno.test("PixelSeries.points() of an empty series is empty", () => {
  const s = new PixelSeries({ start: 0, end: 1, columns: 10 });
  const p = s.points();
  assert.equal(s.count, 0);
  assert.equal(p.t.length, 0);
  assert.equal(p.v.length, 0);
});

Deno.test("PixelSeries reduces 1M points to at most 4 per column, keeping each column's extremes", () => {
  const columns = 500;
  const n = 1_000_000;
  const s = new PixelSeries({ start: 0, end: n, columns });
  const lo = new Float64Array(columns).fill(Infinity);
  const hi = new Float64Array(columns).fill(-Infinity);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    const v = (seed % 2001) - 1000;
    s.add(i, v);
    const c = Math.floor(i * columns / n);
    if (v < lo[c]) lo[c] = v;
    if (v > hi[c]) hi[c] = v;
  }
  assert.equal(s.count, n);
  const { t, v } = s.points();
  assert.ok(t.length <= 4 * columns, `got ${t.length} points`);
  assert.ok(t.length >= 3 * columns, `got ${t.length} points`);
  const gotLo = new Float64Array(columns).fill(Infinity);
  const gotHi = new Float64Array(columns).fill(-Infinity);
  const perColumn = new Uint32Array(columns);
  for (let k = 0; k < t.length; k++) {
    if (k > 0) assert.ok(t[k] >= t[k - 1], `time order broken at ${k}`);
    const c = Math.floor(t[k] * columns / n);
    perColumn[c]++;
    gotLo[c] = Math.min(gotLo[c], v[k]);
    gotHi[c] = Math.max(gotHi[c], v[k]);
  }
  assert.deepEqual(gotLo, lo);
  assert.deepEqual(gotHi, hi);
  assert.ok(perColumn.every((m) => m >= 1 && m <= 4));
  // First and last points of the whole series survive (the line starts and ends right).
  assert.equal(t[0], 0);
  assert.equal(t[t.length - 1], n - 1);
});

Deno.test("PixelSeries rejects bad options and non-finite points with the value in the message", () => {
  assert.throws(
    () => new PixelSeries({ start: 0, end: 1, columns: 0 }),
    /Cannot create PixelSeries as columns .*current value is 0/,
  );
  assert.throws(
    () => new PixelSeries({ start: 0, end: 1, columns: 2.5 }),
    /current value is 2.5/,
  );
  assert.throws(
    () => new PixelSeries({ start: 5, end: 1, columns: 10 }),
    /end must be finite and >= start \(5\): current value is 1/,
  );
  assert.throws(
    () => new PixelSeries({ start: NaN, end: 1, columns: 10 }),
    /start must be finite: current value is NaN/,
  );
  const s = new PixelSeries({ start: 0, end: 1, columns: 10 });
  assert.throws(() => s.add(NaN, 1), /Cannot add to PixelSeries as.*current value is \(NaN, 1\)/);
  assert.throws(() => s.add(0, Infinity), /current value is \(0, Infinity\)/);
  assert.equal(s.count, 0);
});

/** The M4 points by definition: per column the first, lowest, highest and last point. */
function reference(pts: [number, number][], start: number, end: number, columns: number) {
  const scale = end > start ? columns / (end - start) : 0;
  const byColumn = new Map<number, number[]>();
  pts.forEach(([t], i) => {
    const x = (t - start) * scale;
    const c = x <= 0 ? 0 : x >= columns ? columns - 1 : x | 0;
    byColumn.set(c, [...(byColumn.get(c) ?? []), i]);
  });
  const out: [number, number][] = [];
  for (const c of [...byColumn.keys()].sort((a, b) => a - b)) {
    const ix = byColumn.get(c)!;
    const pick = (better: (a: number, b: number) => boolean) =>
      ix.reduce((best, i) => (better(i, best) ? i : best));
    const chosen = new Set([
      pick((a, b) => pts[a][0] < pts[b][0]), // earliest (first to arrive on ties)
      pick((a, b) => pts[a][1] < pts[b][1]), // lowest
      pick((a, b) => pts[a][1] > pts[b][1]), // highest
      pick((a, b) => pts[a][0] >= pts[b][0]), // latest (last to arrive on ties)
    ]);
    const sorted = [...chosen].sort((a, b) => pts[a][0] - pts[b][0] || a - b);
    out.push(...sorted.map((i) => pts[i]));
  }
  return out;
}

Deno.test("PixelSeries: the same points before and after it moves from raw points to columns (1024 points)", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pts: [number, number][] = Array.from({ length: 5000 }, (_, i) => [
    i % 7 === 0 ? Math.floor(rnd() * 100) / 10 : rnd() * 10, // some equal times
    Math.floor(rnd() * 50),
  ]);
  for (const columns of [1, 37, 728, 2000]) {
    const s = new PixelSeries({ start: 0, end: 10, columns });
    let fed = 0;
    for (const k of [0, 1, 15, 16, 17, 1023, 1024, 1025, 2000, 2048, 2049, 5000]) {
      feed(s, pts.slice(fed, k));
      fed = k;
      assert.equal(s.count, k);
      if (k === 0) continue;
      assert.deepEqual(pairs(s), reference(pts.slice(0, k), 0, 10, columns), `${columns}, ${k}`);
    }
  }
});

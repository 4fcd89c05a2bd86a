/**
 * Per-pixel-column downsampling of a time series (the M4 reduction).
 *
 * For every pixel column of a chart, {@link PixelSeries} keeps only four points: the
 * earliest, the lowest, the highest and the latest (each with its time). A line or step
 * drawn through these points covers exactly the same pixels as one drawn through every
 * point, so a 1M-event run draws like a 100-event run. Memory is O(columns).
 *
 * @module
 */

/** Options of {@link PixelSeries}. */
export interface PixelSeriesOptions {
  /** Time of the left edge of the chart (same unit as the `t` given to `add`). */
  start: number;
  /** Time of the right edge of the chart; `end >= start`. */
  end: number;
  /** Number of pixel columns (plot width in pixels), a positive integer. */
  columns: number;
}

/** Points to draw, in time order. */
export interface SeriesPoints {
  /** Times. */
  t: Float64Array;
  /** Values, same length as `t`. */
  v: Float64Array;
}

/**
 * Min/max-per-pixel-column downsampler for one series.
 *
 * A point whose `t` lies outside `[start, end]` goes into the first or last column (keeping
 * its own `t`), so nothing is ever lost. `add` allocates nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelSeries } from "./_downsample.ts";
 * const s = new PixelSeries({ start: 0, end: 10, columns: 2 });
 * for (const [t, v] of [[0, 1], [1, 5], [2, 0], [3, 2], [7, 4]]) s.add(t, v);
 * assert.equal(s.count, 5);
 * const { t, v } = s.points(); // column 0 keeps its first, lowest, highest and last point
 * assert.deepEqual([[...t], [...v]], [[0, 1, 2, 3, 7], [1, 5, 0, 2, 4]]);
 * ```
 */
export class PixelSeries {
  #o: PixelSeriesOptions;
  #count = 0;
  // Few points (most series of a run of many machines): kept as they came, in arrays grown as
  // needed; past RAW_POINTS, the columns (13 arrays of `columns` entries, 73 KiB at 728
  // columns) take over. 1000 machines × 3 series held 219 MB of columns for ~210 points each.
  #rawT: Float64Array | null = new Float64Array(16);
  #rawV: Float64Array | null = new Float64Array(16);
  #cols: Columns | null = null;

  /** Creates an empty series covering `[start, end]` with `columns` pixel columns. */
  constructor(options: PixelSeriesOptions) {
    const { start, end, columns } = options;
    if (!Number.isFinite(start)) {
      throw new RangeError(
        `Cannot create PixelSeries as start must be finite: current value is ${start}`,
      );
    }
    if (!Number.isFinite(end) || end < start) {
      throw new RangeError(
        `Cannot create PixelSeries as end must be finite and >= start (${start}): current value is ${end}`,
      );
    }
    if (!Number.isInteger(columns) || columns < 1 || columns > 1_000_000) {
      throw new RangeError(
        `Cannot create PixelSeries as columns must be an integer in 1..1000000: current value is ${columns}`,
      );
    }
    this.#o = { start, end, columns };
  }

  /**
   * Adds one point. `t` outside `[start, end]` goes into the edge column; `t` and `value`
   * must be finite numbers (anything else throws a `RangeError` naming the value).
   */
  add(t: number, value: number): void {
    if (!Number.isFinite(t) || !Number.isFinite(value)) {
      throw new RangeError(
        `Cannot add to PixelSeries as t and value must be finite numbers: current value is (${t}, ${value})`,
      );
    }
    const n = this.#count++;
    if (this.#cols !== null) return this.#cols.add(t, value);
    let rt = this.#rawT!, rv = this.#rawV!;
    if (n === rt.length) {
      if (n >= Math.max(RAW_POINTS, this.#o.columns)) {
        this.#cols = this.#replay(n);
        this.#rawT = this.#rawV = null;
        return this.#cols.add(t, value);
      }
      rt = this.#rawT = grow(rt);
      rv = this.#rawV = grow(rv);
    }
    rt[n] = t;
    rv[n] = value;
  }

  /** Number of `add` calls so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * The points to draw: per non-empty column its distinct earliest, lowest, highest and
   * latest points (1 to 4), ordered by time, then by arrival. Returns new arrays.
   */
  points(): SeriesPoints {
    return (this.#cols ?? this.#replay(this.#count)).points();
  }

  /** The columns of the first `k` points kept (the same as adding them one by one). */
  #replay(k: number): Columns {
    const cols = new Columns(this.#o), rt = this.#rawT!, rv = this.#rawV!;
    for (let i = 0; i < k; i++) cols.add(rt[i], rv[i]);
    return cols;
  }
}

/** Points a series keeps as they came before it uses columns (when it has fewer columns). */
const RAW_POINTS = 1024;

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** The per-column points of a series (allocated once a series has more than a few points). */
class Columns {
  #start: number;
  #scale: number;
  #columns: number;
  #count = 0;
  // Per column: the earliest, lowest, highest and latest point, and the arrival order
  // (sequence number) of each, so ties in time keep the order the points came in.
  #firstT: Float64Array;
  #firstV: Float64Array;
  #firstS: Float64Array;
  #minT: Float64Array;
  #minV: Float64Array;
  #minS: Float64Array;
  #maxT: Float64Array;
  #maxV: Float64Array;
  #maxS: Float64Array;
  #lastT: Float64Array;
  #lastV: Float64Array;
  #lastS: Float64Array;
  #n: Uint32Array;

  constructor(options: PixelSeriesOptions) {
    const { start, end, columns } = options;
    this.#start = start;
    this.#columns = columns;
    // A zero-width range puts everything into column 0.
    this.#scale = end > start ? columns / (end - start) : 0;
    const f = () => new Float64Array(columns);
    this.#firstT = f();
    this.#firstV = f();
    this.#firstS = f();
    this.#minT = f();
    this.#minV = f();
    this.#minS = f();
    this.#maxT = f();
    this.#maxV = f();
    this.#maxS = f();
    this.#lastT = f();
    this.#lastV = f();
    this.#lastS = f();
    this.#n = new Uint32Array(columns);
  }

  add(t: number, value: number): void {
    const x = (t - this.#start) * this.#scale;
    const c = x <= 0 ? 0 : x >= this.#columns ? this.#columns - 1 : x | 0;
    const s = this.#count++;
    if (this.#n[c]++ === 0) {
      this.#firstT[c] =
        this.#minT[c] =
        this.#maxT[c] =
        this.#lastT[c] =
          t;
      this.#firstV[c] =
        this.#minV[c] =
        this.#maxV[c] =
        this.#lastV[c] =
          value;
      this.#firstS[c] =
        this.#minS[c] =
        this.#maxS[c] =
        this.#lastS[c] =
          s;
      return;
    }
    if (t < this.#firstT[c]) {
      this.#firstT[c] = t;
      this.#firstV[c] = value;
      this.#firstS[c] = s;
    }
    if (t >= this.#lastT[c]) {
      this.#lastT[c] = t;
      this.#lastV[c] = value;
      this.#lastS[c] = s;
    }
    if (value < this.#minV[c]) {
      this.#minT[c] = t;
      this.#minV[c] = value;
      this.#minS[c] = s;
    } else if (value > this.#maxV[c]) {
      this.#maxT[c] = t;
      this.#maxV[c] = value;
      this.#maxS[c] = s;
    }
  }

  /**
   * The points to draw: per non-empty column its distinct earliest, lowest, highest and
   * latest points (1 to 4), ordered by time, then by arrival. Returns new arrays.
   */
  points(): SeriesPoints {
    let total = 0;
    for (let c = 0; c < this.#columns; c++) if (this.#n[c] > 0) total += 4;
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    const ct = new Float64Array(4);
    const cv = new Float64Array(4);
    const cs = new Float64Array(4);
    let out = 0;
    for (let c = 0; c < this.#columns; c++) {
      if (this.#n[c] === 0) continue;
      let k = 0;
      const put = (pt: number, pv: number, ps: number) => {
        for (let i = 0; i < k; i++) if (cs[i] === ps) return;
        // Insertion by (time, arrival).
        let i = k++;
        while (i > 0 && (ct[i - 1] > pt || (ct[i - 1] === pt && cs[i - 1] > ps))) {
          ct[i] = ct[i - 1];
          cv[i] = cv[i - 1];
          cs[i] = cs[i - 1];
          i--;
        }
        ct[i] = pt;
        cv[i] = pv;
        cs[i] = ps;
      };
      put(this.#firstT[c], this.#firstV[c], this.#firstS[c]);
      put(this.#minT[c], this.#minV[c], this.#minS[c]);
      put(this.#maxT[c], this.#maxV[c], this.#maxS[c]);
      put(this.#lastT[c], this.#lastV[c], this.#lastS[c]);
      for (let i = 0; i < k; i++) {
        t[out] = ct[i];
        v[out] = cv[i];
        out++;
      }
    }
    return { t: t.slice(0, out), v: v.slice(0, out) };
  }
}

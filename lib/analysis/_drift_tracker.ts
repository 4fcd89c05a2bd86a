/**
 * Drift over time: max − min of the machines' Lamport clocks at each instant (machines count
 * from their STARTUP on), fed in global time order. Keeps the maximum, the time-weighted mean
 * (overall and per third of the run) and a per-pixel chart series.
 *
 * @module
 */
import { PixelSeries } from "./_downsample.ts";
import type { SeriesRange } from "./_machine_state.ts";

/** Drift statistics of a run. */
export interface DriftStats {
  /** Largest drift at any instant. */
  max: number;
  /** When it was first reached (seconds since run start). */
  maxAt: number;
  /** Time-weighted mean drift over the run. */
  mean: number;
  /** Time-weighted mean over each third of the run. */
  thirds: [number, number, number];
}

/**
 * Tracks drift.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DriftTracker } from "./_drift_tracker.ts";
 * const d = new DriftTracker(2, { start: 0, end: 10, columns: 10 });
 * d.update(0, 0, 0);
 * d.update(1, 0, 0);
 * d.update(0, 5, 5); // machine 0's clock is 5 ahead from t = 5 on
 * const stats = d.stats(10);
 * assert.deepEqual([stats.max, stats.maxAt, stats.mean], [5, 5, 2.5]);
 * ```
 */
export class DriftTracker {
  /** The chart series (seconds since run start, drift). */
  readonly series: PixelSeries;
  // Min and max over the started machines' clocks as two segment trees (leaves at #leaves + i;
  // a machine that has not started is +Infinity / -Infinity): O(log n) per update.
  #leaves: number;
  #lo: Float64Array;
  #hi: Float64Array;
  #current = 0;
  #committed = NaN;
  #lastT = 0;
  #max = 0;
  #maxAt = 0;
  #area = [0, 0, 0];
  #span: number;

  constructor(machines: number, range: SeriesRange) {
    let leaves = 1;
    while (leaves < machines) leaves *= 2;
    this.#leaves = leaves;
    this.#lo = new Float64Array(2 * leaves).fill(Infinity);
    this.#hi = new Float64Array(2 * leaves).fill(-Infinity);
    this.#span = Math.max(range.end - range.start, 1e-9);
    this.series = new PixelSeries({ start: 0, end: this.#span, columns: range.columns });
  }

  /**
   * Machine `index` has clock `clock` from time `t` (seconds since run start) on. Events at
   * the same instant are applied together: the drift of an instant is the one after all of
   * them (no transient values from the order in which same-time events are fed).
   */
  update(index: number, clock: number, t: number): void {
    if (t > this.#lastT) {
      this.#commit();
      this.#integrate(t);
    }
    const min = this.#lo, max = this.#hi;
    let i = this.#leaves + index;
    min[i] = max[i] = clock;
    for (i >>= 1; i >= 1; i >>= 1) {
      const l = 2 * i, r = l + 1;
      min[i] = min[l] < min[r] ? min[l] : min[r];
      max[i] = max[l] > max[r] ? max[l] : max[r];
    }
    this.#current = max[1] - min[1];
  }

  /** Records the drift of the instant #lastT (series point, max). */
  #commit(): void {
    const d = this.#current;
    if (d !== this.#committed) {
      this.#committed = d;
      this.series.add(this.#lastT, d);
    }
    if (d > this.#max) {
      this.#max = d;
      this.#maxAt = this.#lastT;
    }
  }

  /** Adds the current drift × time from the last update to `t`, split at the thirds. */
  #integrate(t: number): void {
    let from = this.#lastT;
    for (let i = 0; i < 3 && from < t; i++) {
      const edge = i === 2 ? Infinity : (this.#span * (i + 1)) / 3;
      if (from >= edge) continue;
      const to = Math.min(t, edge);
      this.#area[i] += this.#current * (to - from);
      from = to;
    }
    this.#lastT = t;
  }

  /** Statistics up to time `end` (seconds since run start). */
  stats(end: number): DriftStats {
    this.#commit();
    const t = Math.max(end, this.#lastT);
    if (t > this.#lastT) this.#integrate(t);
    this.series.add(t, this.#current);
    const third = this.#span / 3;
    return {
      max: this.#max,
      maxAt: this.#maxAt,
      mean: (this.#area[0] + this.#area[1] + this.#area[2]) / this.#span,
      thirds: [this.#area[0] / third, this.#area[1] / third, this.#area[2] / third],
    };
  }
}

/**
 * Drift-free tick schedule: tick k is due at `start + k / rate`, however long the work of
 * each tick takes.
 *
 * @module
 */

const TOLERANCE_MS = 1e-3;

/**
 * Counts which ticks are due. Tick 0 is due at `start`; tick k at `start + k * 1000 / rate` ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TickSchedule } from "./schedule.ts";
 * const s = new TickSchedule({ start: 1000, rate: 4 });
 * assert.equal(s.due(1000), 1); // tick 0
 * assert.equal(s.due(1600), 2); // ticks 1 and 2: 1250, 1500
 * assert.equal(s.nextAt(), 1750);
 * ```
 */
export class TickSchedule {
  #start: number;
  #periodMs: number;
  #done = 0;
  #limit: number;

  /** `start` and `end` are in ms of the injected time source; `end` defaults to never. */
  constructor(options: { start: number; rate: number; end?: number }) {
    if (!(options.rate > 0) || !Number.isFinite(options.rate)) {
      throw new RangeError(`Cannot schedule ticks: current rate is ${options.rate} (want > 0)`);
    }
    this.#start = options.start;
    this.#periodMs = 1000 / options.rate;
    // Ticks strictly before `end`. The span is rounded to 1 µs first: epoch-ms floats carry
    // ~0.2 µs of rounding error, which must not add or drop a tick.
    const span = Math.round(((options.end ?? Infinity) - options.start) * 1000) / 1000;
    this.#limit = span === Infinity ? Infinity : Math.max(0, Math.ceil(span / this.#periodMs));
  }

  /** Ticks handed out so far. */
  get done(): number {
    return this.#done;
  }

  /** Time the next tick is due (ms). `Infinity` once past the end. */
  nextAt(): number {
    return this.#done < this.#limit ? this.#start + this.#done * this.#periodMs : Infinity;
  }

  /** Number of ticks due at `now` that were not handed out yet; marks them handed out. */
  due(now: number): number {
    // 1 µs of tolerance: at epoch scale `start + k * period - start` can come out a hair
    // below `k * period`, and `due(nextAt())` must hand out tick k.
    const elapsed = now - this.#start + TOLERANCE_MS;
    if (elapsed < 0) return 0;
    const total = Math.min(Math.floor(elapsed / this.#periodMs) + 1, this.#limit);
    const n = Math.max(0, total - this.#done);
    this.#done += n;
    return n;
  }
}

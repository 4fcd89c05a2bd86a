/**
 * Drift-free tick schedule: tick k is due at `start + k / rate`, however long the work of
 * each tick takes.
 *
 * @module
 */

/**
 * Counts which ticks are due. Tick 0 is due at `start`; tick k at `start + k * 1000 / rate` ms.
 *
 * @example
 * ```ts
 * import { TickSchedule } from "./schedule.ts";
 * const s = new TickSchedule({ start: 1000, rate: 4 });
 * s.due(1000); // 1  (tick 0)
 * s.due(1600); // 2  (ticks 1 and 2: 1250, 1500)
 * s.nextAt(); // 1750
 * ```
 */
export class TickSchedule {
  #start: number;
  #periodMs: number;
  #done = 0;
  #end: number;

  /** `start` and `end` are in ms of the injected time source; `end` defaults to never. */
  constructor(options: { start: number; rate: number; end?: number }) {
    if (!(options.rate > 0) || !Number.isFinite(options.rate)) {
      throw new RangeError(`Cannot schedule ticks: current rate is ${options.rate} (want > 0)`);
    }
    this.#start = options.start;
    this.#periodMs = 1000 / options.rate;
    this.#end = options.end ?? Infinity;
  }

  /** Ticks handed out so far. */
  get done(): number {
    return this.#done;
  }

  /** Time the next tick is due (ms). `Infinity` once past the end. */
  nextAt(): number {
    const at = this.#start + this.#done * this.#periodMs;
    return at < this.#end ? at : Infinity;
  }

  /** Number of ticks due at `now` that were not handed out yet; marks them handed out. */
  due(now: number): number {
    const limit = Math.min(now, this.#end - 1e-9);
    if (limit < this.#start) return 0;
    const total = Math.floor((limit - this.#start) / this.#periodMs) + 1;
    const n = Math.max(0, total - this.#done);
    this.#done += n;
    return n;
  }
}

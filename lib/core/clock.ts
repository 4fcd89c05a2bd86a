/**
 * Lamport clock rules (no I/O).
 *
 * @module
 */

/**
 * Whether `value` is a valid clock value: a non-negative safe integer.
 *
 * @example
 * ```ts
 * import { isClockValue } from "./clock.ts";
 * isClockValue(10); // true
 * isClockValue(1e309); // false
 * ```
 */
export function isClockValue(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** What one clock step did. */
export interface ClockStep {
  /** Clock before the event. */
  old: number;
  /** Clock after the event. */
  new: number;
}

/**
 * A Lamport logical clock: local events and sends add 1; a receive sets
 * `max(local, received) + 1`.
 *
 * @example
 * ```ts
 * import { LamportClock } from "./clock.ts";
 * const c = new LamportClock();
 * c.tick(); // { old: 0, new: 1 }
 * c.receive(10); // { old: 1, new: 11 }
 * ```
 */
export class LamportClock {
  #value: number;

  /** Starts at `initial` (default 0). */
  constructor(initial = 0) {
    if (!isClockValue(initial)) {
      throw new RangeError(
        `Cannot start a clock: current value is ${initial} (want a safe integer ≥ 0)`,
      );
    }
    this.#value = initial;
  }

  /** Current value. */
  get value(): number {
    return this.#value;
  }

  /** An INTERNAL or SEND event: add 1. */
  tick(): ClockStep {
    return this.#set(this.#value + 1);
  }

  /** A RECEIVE of `received`: `max(local, received) + 1`. Rejects invalid values untouched. */
  receive(received: number): ClockStep {
    if (!isClockValue(received)) {
      throw new RangeError(
        `Cannot receive a clock value: current value is ${received} (want a safe integer ≥ 0)`,
      );
    }
    return this.#set(Math.max(this.#value, received) + 1);
  }

  #set(next: number): ClockStep {
    if (!Number.isSafeInteger(next)) {
      throw new RangeError(
        `Cannot advance the clock past 2^53 - 1: current value is ${this.#value}`,
      );
    }
    const old = this.#value;
    this.#value = next;
    return { old, new: next };
  }
}

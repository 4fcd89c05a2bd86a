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
 * import assert from "node:assert/strict";
 * import { isClockValue } from "./clock.ts";
 * assert.equal(isClockValue(10), true);
 * assert.equal(isClockValue(1e309), false);
 * assert.equal(isClockValue(-0), false);
 * ```
 */
export function isClockValue(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 &&
    !Object.is(value, -0);
}

/** The largest clock value: a clock there cannot advance any more (2^53 - 1). */
export const MAX_CLOCK: number = Number.MAX_SAFE_INTEGER;

/**
 * Default limit of how far a received clock may be ahead of the local clock (10^9). Honest
 * clocks drift apart by about (fastest rate - slowest rate) x run time: 10^9 covers 20 000
 * ticks/s (the fastest rate measured in BENCHMARKS.md) for almost 14 hours, while one refused
 * push of 10^12 is what an attacker sends. One receive per tick can add at most this much, so
 * reaching 2^53 takes at least 9 million accepted messages.
 */
export const DEFAULT_MAX_CLOCK_JUMP = 1_000_000_000;

/**
 * Why a received clock value must be refused by a node whose clock is `local`, or `""` when it
 * may be received: it is not a safe integer ≥ 0, receiving it would pass {@linkcode MAX_CLOCK},
 * or it is more than `maxJump` ahead of `local` (`maxJump` 0 = no limit; default
 * {@linkcode DEFAULT_MAX_CLOCK_JUMP}).
 *
 * @example
 * ```ts
 * import { checkReceivedClock } from "./clock.ts";
 * import assert from "node:assert/strict";
 * assert.equal(checkReceivedClock(50, 10), "");
 * assert.match(checkReceivedClock(2 ** 53 - 1, 10), /would pass 2\^53 - 1/);
 * assert.match(checkReceivedClock(1e12, 10), /ahead of the local clock 10/);
 * assert.equal(checkReceivedClock(1e12, 10, { maxJump: 0 }), "");
 * ```
 */
export function checkReceivedClock(
  received: number,
  local: number,
  options: { maxJump?: number } = {},
): string {
  const { maxJump = DEFAULT_MAX_CLOCK_JUMP } = options;
  if (!isClockValue(received)) {
    return `Cannot accept clock value: current value is ${received} (want a safe integer ≥ 0)`;
  }
  if (received >= MAX_CLOCK) {
    return `Cannot accept clock value: current value is ${received} (receiving it would pass ` +
      `2^53 - 1)`;
  }
  if (maxJump > 0 && received - local > maxJump) {
    return `Cannot accept clock value: current value is ${received}, ${
      received - local
    } ahead of the local clock ${local} (limit --max-clock-jump ${maxJump})`;
  }
  return "";
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
 * import assert from "node:assert/strict";
 * import { LamportClock } from "./clock.ts";
 * const c = new LamportClock();
 * assert.deepEqual(c.tick(), { old: 0, new: 1 });
 * assert.deepEqual(c.receive(10), { old: 1, new: 11 });
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

  /** Whether the clock can still advance (it is below {@linkcode MAX_CLOCK}). */
  get canAdvance(): boolean {
    return this.#value < MAX_CLOCK;
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

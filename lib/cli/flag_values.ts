/**
 * Shared validation of command-line flag values (numbers, integers, seeds) for
 * `machine.ts` and `run_machine.ts`: every bad value names its flag and current value.
 *
 * @module
 */

/**
 * Longest `--duration` in seconds (about 11.6 days): timers beyond 2^31 − 1 ms (24.8 days)
 * would fire at once, so runs stay well below that.
 */
export const MAX_DURATION_S = 1_000_000;

/**
 * A bad command line; the CLIs print the message and exit 2.
 *
 * @example
 * ```ts
 * import { UsageError } from "./flag_values.ts";
 * const err = new UsageError("Cannot use --id: current value is \"x\"");
 * err.name; // "UsageError"
 * ```
 */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Bounds and error type of a flag value. */
export interface FlagRange {
  /** Lowest value (default 0). */
  min?: number;
  /** Highest value (default: no limit / the largest safe integer). */
  max?: number;
  /** `min` itself is not allowed (numbers only). */
  exclusive?: boolean;
  /** Error class to throw; default {@linkcode UsageError}. */
  error?: new (message: string) => Error;
}

/**
 * Parses a decimal number flag value within bounds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberFlag } from "./flag_values.ts";
 * assert.equal(numberFlag("duration", "0.5"), 0.5);
 * assert.throws(() => numberFlag("rate", "0", { exclusive: true }), {
 *   message: 'Cannot use --rate: current value is "0" (want a number > 0)',
 * });
 * ```
 */
export function numberFlag(flag: string, text: string, range: FlagRange = {}): number {
  const { min = 0, max = Infinity, exclusive = false, error = UsageError } = range;
  const v = text.trim() === "" ? NaN : Number(text);
  if (Number.isFinite(v) && (exclusive ? v > min : v >= min) && v <= max) return v;
  const want = max === Infinity ? `${exclusive ? ">" : ">="} ${min}` : `${min}..${max}`;
  throw new error(
    `Cannot use --${flag}: current value is ${JSON.stringify(text)} (want a number ${want})`,
  );
}

/**
 * Parses a non-negative integer flag value (digits only) within bounds.
 *
 * @example
 * ```ts
 * import { integerFlag } from "./flag_values.ts";
 * integerFlag("port", "5001", { min: 1, max: 65535 }); // 5001
 * ```
 */
export function integerFlag(flag: string, text: string, range: FlagRange = {}): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER, error = UsageError } = range;
  const v = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isSafeInteger(v) && v >= min && v <= max) return v;
  throw new error(
    `Cannot use --${flag}: current value is ${
      JSON.stringify(text)
    } (want an integer ${min}..${max})`,
  );
}

/**
 * A random 32-bit seed (for runs without `--seed`; the seed is logged so it can be repeated).
 *
 * @example
 * ```ts
 * import { randomSeed } from "./flag_values.ts";
 * const seed = randomSeed(); // 0..2^32-1
 * ```
 */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

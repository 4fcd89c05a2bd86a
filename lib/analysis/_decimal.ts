/**
 * Exact decimal-to-double conversion for the line scanner: `JSON.parse` gives the correctly
 * rounded double of a decimal; {@link ExactDecimal} does the same without building a string.
 *
 * @module
 */

/** Exact powers of ten 1e0..1e22 (all exactly representable as doubles). */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** POW2[i] = 2^(i - 1023) for biased exponents i (exact). */
const POW2: readonly number[] = Array.from({ length: 2047 }, (_, i) => 2 ** (i - 1023));

/** A decimal `int.frac` split into its integer digits and `digits` fraction digits. */
export interface DecimalParts {
  /** The integer part (< 10^15). */
  int: number;
  /** The fraction digits as an integer (< 10^15): 3403125 for `.3403125`. */
  frac: number;
  /** How many fraction digits (≤ 15; leading zeros count). */
  digits: number;
}

/** The error of `p = fl(a * b)`: a * b − p exactly (Dekker's product with Veltkamp split). */
function productError(a: number, b: number, p: number): number {
  const A = 134217729 * a, ah = A - (A - a), al = a - ah;
  const B = 134217729 * b, bh = B - (B - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/**
 * Converts decimals like `1795836597.3403125`, which have too many digits for the
 * one-division fast path, to the correctly rounded double. Each converter owns the scratch
 * buffer it reads a double's bits with (no state shared between converters).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExactDecimal } from "./_decimal.ts";
 * const exact = new ExactDecimal();
 * assert.equal(exact.value({ int: 1795836597, frac: 3403125, digits: 7 }), 1795836597.3403125);
 * assert.equal(exact.value({ int: 0, frac: 1, digits: 1 }), 0.1);
 * ```
 */
export class ExactDecimal {
  #bits = new Float64Array(1);
  #bitsHi = new Uint32Array(this.#bits.buffer);

  /**
   * `int + frac / 10^digits` correctly rounded. Computes the value as a rounded sum plus its
   * exact error terms, then rounds once; returns NaN when the result is too close to a
   * rounding tie to decide (the caller then uses `parseFloat`).
   */
  value(d: DecimalParts): number {
    const { int, frac } = d;
    const P = POW10[d.digits];
    const q = frac / P;
    const prod = q * P;
    const r = (frac - prod) - productError(q, P, prod); // frac − q·P, nearly exact
    const sum = int + q;
    const bb = sum - int;
    const c = (int - (sum - bb)) + (q - bb) + r / P; // (int + frac/P) − sum
    this.#bits[0] = sum;
    const hi = this.#bitsHi[1], biased = (hi >>> 20) & 0x7ff;
    if (biased <= 53 || ((hi & 0xfffff) === 0 && this.#bitsHi[0] === 0)) return NaN; // tiny / 2^k
    const half = POW2[biased - 53]; // half an ulp of sum: 2^(e - 53)
    if (Math.abs(Math.abs(c) - half) <= half * 1e-6) return NaN;
    return sum + c;
  }
}

/**
 * Exact decimal-to-double conversion helpers for the line scanner: `JSON.parse` gives the
 * correctly rounded double of a decimal; these do the same without building a string.
 *
 * @module
 */

/** Exact powers of ten 1e0..1e22 (all exactly representable as doubles). */
export const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const bits = new Float64Array(1);
/** POW2[i] = 2^(i - 1023) for biased exponents i (exact). */
const POW2 = Array.from({ length: 2047 }, (_, i) => 2 ** (i - 1023));
const bitsHi = new Uint32Array(bits.buffer);

/** The error of `p = fl(a * b)`: a * b − p exactly (Dekker's product with Veltkamp split). */
function productError(a: number, b: number, p: number): number {
  const A = 134217729 * a, ah = A - (A - a), al = a - ah;
  const B = 134217729 * b, bh = B - (B - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/**
 * `int + frac / 10^fd` correctly rounded (int, frac < 10^15, fd <= 15), for numbers like
 * `1795836597.3403125` that have too many digits for the one-division fast path. Computes
 * the value as a rounded sum plus its exact error terms, then rounds once; returns NaN when
 * the result is too close to a rounding tie to decide (the caller then uses parseFloat).
 *
 * @example
 * ```ts
 * import { twoPart } from "./_decimal.ts";
 * twoPart(1795836597, 3403125, 7) === 1795836597.3403125; // true
 * ```
 */
export function twoPart(int: number, frac: number, fd: number): number {
  const P = POW10[fd];
  const q = frac / P;
  const prod = q * P;
  const r = (frac - prod) - productError(q, P, prod); // frac − q·P, nearly exact
  const sum = int + q;
  const bb = sum - int;
  const c = (int - (sum - bb)) + (q - bb) + r / P; // (int + frac/P) − sum
  bits[0] = sum;
  const hi = bitsHi[1], biased = (hi >>> 20) & 0x7ff;
  if (biased <= 53 || ((hi & 0xfffff) === 0 && bitsHi[0] === 0)) return NaN; // tiny / 2^k
  const half = POW2[biased - 53]; // half an ulp of sum: 2^(e - 53)
  if (Math.abs(Math.abs(c) - half) <= half * 1e-6) return NaN;
  return sum + c;
}

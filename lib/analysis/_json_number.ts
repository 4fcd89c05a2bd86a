/**
 * Reads one JSON number from bytes, exactly like `JSON.parse`: integers up to 2^53 − 1 and
 * short decimals on exact fast paths, long decimals (17-digit times) through
 * {@link ExactDecimal}, the rest (exponents, rounding ties) through `parseFloat`.
 *
 * @module
 */
import { type DecimalParts, ExactDecimal, POW10 } from "./_decimal.ts";

const latin1 = new TextDecoder("latin1");
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * A reusable number reader: {@link scan} returns where the number ends, then {@link value}
 * is its value; on a syntax error it returns −1 − the offending position and {@link problem}
 * says what was expected.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonNumber } from "./_json_number.ts";
 * const n = new JsonNumber(), bytes = new TextEncoder().encode("[1795836597.3403125, 1.]");
 * assert.equal(n.scan(bytes, { from: 1, end: bytes.length }), 19);
 * assert.equal(n.value, 1795836597.3403125);
 * assert.equal(n.scan(bytes, { from: 21, end: bytes.length }), -1 - 23);
 * assert.equal(n.problem, "expected a digit after '.'");
 * ```
 */
export class JsonNumber {
  #value = 0;
  #problem = "";
  #exact = new ExactDecimal();
  #parts: DecimalParts = { int: 0, frac: 0, digits: 0 }; // reused: no object per number

  /** The value of the last number scanned. */
  get value(): number {
    return this.#value;
  }

  /** What the last failed scan expected ("expected a digit", …). */
  get problem(): string {
    return this.#problem;
  }

  /**
   * Scans the number at `buf[at.from]` (a '-' or a digit) up to `at.end` at most; returns the
   * position after it, or −1 − the position of the offending byte.
   */
  scan(buf: Uint8Array, at: { from: number; end: number }): number {
    const b = buf, end = at.end, s = at.from;
    let p = s, neg = false;
    if (b[p] === 0x2d) {
      neg = true;
      p++;
    }
    let mant = 0, digits = 0, exp = 0, frac = 0, intDigits = 0, intPart = 0;
    if (p < end && b[p] === 0x30) p++;
    else if (p < end && b[p] >= 0x31 && b[p] <= 0x39) {
      while (p < end && b[p] >= 0x30 && b[p] <= 0x39) {
        mant = mant * 10 + (b[p] - 0x30);
        digits++;
        p++;
      }
    } else return this.#fail(p, "expected a digit");
    intPart = mant;
    intDigits = digits;
    if (p < end && b[p] === 0x2e) {
      p++;
      if (!(p < end && b[p] >= 0x30 && b[p] <= 0x39)) {
        return this.#fail(p, "expected a digit after '.'");
      }
      while (p < end && b[p] >= 0x30 && b[p] <= 0x39) {
        if (mant !== 0 || b[p] !== 0x30) digits++;
        mant = mant * 10 + (b[p] - 0x30);
        frac = frac * 10 + (b[p] - 0x30);
        exp--;
        p++;
      }
    }
    let slow = false;
    if (p < end && (b[p] === 0x65 || b[p] === 0x45)) {
      p++;
      if (p < end && (b[p] === 0x2b || b[p] === 0x2d)) p++;
      if (!(p < end && b[p] >= 0x30 && b[p] <= 0x39)) {
        return this.#fail(p, "expected a digit in exponent");
      }
      while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
      slow = true;
    }
    if (!slow && exp === 0 && mant <= MAX_SAFE) {
      // An integer up to 2^53 − 1 (a session id has 16 digits): every step was exact.
      this.#value = neg ? -mant : mant;
    } else if (slow || digits > 15 || exp < -22) {
      let v = NaN;
      if (!slow && intDigits <= 15 && exp >= -15) {
        const parts = this.#parts;
        parts.int = intPart;
        parts.frac = frac;
        parts.digits = -exp;
        v = this.#exact.value(parts);
      }
      this.#value = Number.isNaN(v) ? parseFloat(latin1.decode(b.subarray(s, p))) : neg ? -v : v;
    } else {
      const v = exp === 0 ? mant : mant / POW10[-exp];
      this.#value = neg ? -v : v;
    }
    return p;
  }

  #fail(p: number, problem: string): number {
    this.#problem = problem;
    return -1 - p;
  }
}

/**
 * Tables keyed by (pair, n) — a small pair index and any integer `n` up to 2^53 − 1 (a `seq`, or
 * a word of a bit set over seqs) — in memory proportional to the entries, never to the values
 * of `n`. Keys that fit a double exactly (`n × pairs + pair` ≤ 2^53 − 1, the case of every real
 * run) go to an {@link IntTable}; larger ones fall back to a string-keyed map.
 *
 * @module
 */
import { IntTable } from "./_int_table.ts";

const MAX_INT = Number.MAX_SAFE_INTEGER;

/**
 * (pair, n) → an int32 value, with `pair` in `0..pairs-1` and `n` a safe integer ≥ 0.
 *
 * @example
 * ```ts
 * import { PairMap } from "./_pair_map.ts";
 * import assert from "node:assert/strict";
 * const m = new PairMap(6);
 * m.set(5, 4_000_000_000_000, 1);
 * m.set(5, Number.MAX_SAFE_INTEGER, 2);
 * assert.equal(m.get(5, 4_000_000_000_000, -1), 1);
 * assert.equal(m.get(4, 4_000_000_000_000, -1), -1);
 * assert.equal(m.size, 2);
 * ```
 */
export class PairMap {
  #pairs: number;
  #limit: number;
  #small = new IntTable();
  #big = new Map<string, number>();

  /** `pairs`: how many pair indices there are (≥ 1). */
  constructor(pairs: number) {
    if (!Number.isSafeInteger(pairs) || pairs < 1) {
      throw new RangeError(
        `Cannot create a PairMap as pairs must be ≥ 1: current value is ${pairs}`,
      );
    }
    this.#pairs = pairs;
    this.#limit = Math.floor((MAX_INT - pairs) / pairs);
  }

  /** The value of (pair, n), or `missing`. */
  get(pair: number, n: number, missing: number): number {
    return n <= this.#limit
      ? this.#small.get(n * this.#pairs + pair, missing)
      : this.#big.get(`${pair}:${n}`) ?? missing;
  }

  /** Sets (pair, n) to `value`. */
  set(pair: number, n: number, value: number): void {
    if (n <= this.#limit) this.#small.set(n * this.#pairs + pair, value);
    else this.#big.set(`${pair}:${n}`, value);
  }

  /** Removes (pair, n). */
  delete(pair: number, n: number): void {
    if (n <= this.#limit) this.#small.delete(n * this.#pairs + pair);
    else this.#big.delete(`${pair}:${n}`);
  }

  /** Number of entries. */
  get size(): number {
    return this.#small.size + this.#big.size;
  }

  /** Calls `fn` with every value. */
  forEachValue(fn: (value: number) => void): void {
    this.#small.forEachValue(fn);
    for (const v of this.#big.values()) fn(v);
  }

  /** Removes every entry. */
  clear(): void {
    this.#small.clear();
    this.#big.clear();
  }
}

/**
 * A set of (pair, seq): one bit per seq, stored as 32-bit words in a {@link PairMap}, so a
 * dense run of seqs costs about 1 bit each and a stray seq of 4·10^12 costs one word.
 *
 * @example
 * ```ts
 * import { PairBits } from "./_pair_map.ts";
 * import assert from "node:assert/strict";
 * const seen = new PairBits(4);
 * assert.equal(seen.testAndSet(3, 2 ** 32 + 5), false);
 * assert.equal(seen.test(3, 2 ** 32 + 5), true);
 * assert.equal(seen.test(3, 5), false);
 * assert.equal(seen.testAndSet(3, 2 ** 32 + 5), true);
 * ```
 */
export class PairBits {
  #words: PairMap;

  /** `pairs`: how many pair indices there are (≥ 1). */
  constructor(pairs: number) {
    this.#words = new PairMap(pairs);
  }

  /** Whether (pair, seq) is in the set. */
  test(pair: number, seq: number): boolean {
    return (this.#words.get(pair, Math.floor(seq / 32), 0) & (1 << (seq % 32))) !== 0;
  }

  /** Adds (pair, seq); returns whether it was there already. */
  testAndSet(pair: number, seq: number): boolean {
    const i = Math.floor(seq / 32), bit = 1 << (seq % 32);
    const w = this.#words.get(pair, i, 0);
    if ((w & bit) !== 0) return true;
    this.#words.set(pair, i, w | bit);
    return false;
  }
}

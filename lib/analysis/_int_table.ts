/**
 * An open-addressing hash table from integer keys (0..2^53 − 1) to int32 values, on typed
 * arrays: no object per entry and one probe sequence per lookup, for the message ledger's
 * hundreds of thousands of messages in flight.
 *
 * @module
 */

const EMPTY = -1, DELETED = -2;

/**
 * Keys are safe integers ≥ 0; values are int32.
 *
 * @example
 * ```ts
 * import { IntTable } from "./_int_table.ts";
 * import assert from "node:assert/strict";
 * const t = new IntTable();
 * t.set(4_000_000_000_000, 7);
 * t.set(5, 8);
 * assert.equal(t.get(4_000_000_000_000, -1), 7);
 * assert.equal(t.get(6, -1), -1);
 * assert.equal(t.delete(5), true);
 * assert.deepEqual([t.size, t.get(5, -1)], [1, -1]);
 * ```
 */
export class IntTable {
  #keys: Float64Array;
  #values: Int32Array;
  #mask: number;
  #size = 0;
  #used = 0; // live entries plus tombstones

  /** `capacity`: initial number of slots (rounded up to a power of two). */
  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity) n *= 2;
    this.#keys = new Float64Array(n).fill(EMPTY);
    this.#values = new Int32Array(n);
    this.#mask = n - 1;
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** The value of `key`, or `missing`. */
  get(key: number, missing: number): number {
    const keys = this.#keys, mask = this.#mask;
    for (let i = hash(key) & mask;; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) return this.#values[i];
      if (k === EMPTY) return missing;
    }
  }

  /** Sets `key` to `value`. */
  set(key: number, value: number): void {
    const keys = this.#keys, mask = this.#mask;
    let free = -1;
    for (let i = hash(key) & mask;; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) return void (this.#values[i] = value);
      if (k === DELETED && free < 0) free = i;
      else if (k === EMPTY) {
        if (free < 0) {
          free = i;
          this.#used++;
        }
        break;
      }
    }
    keys[free] = key;
    this.#values[free] = value;
    this.#size++;
    if (this.#used * 2 > keys.length) this.#rehash();
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: number): boolean {
    const keys = this.#keys, mask = this.#mask;
    for (let i = hash(key) & mask;; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) {
        keys[i] = DELETED;
        this.#size--;
        return true;
      }
      if (k === EMPTY) return false;
    }
  }

  /** Calls `fn` with every value (in slot order). */
  forEachValue(fn: (value: number) => void): void {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] >= 0) fn(this.#values[i]);
  }

  /** Removes every key. */
  clear(): void {
    this.#keys.fill(EMPTY);
    this.#size = this.#used = 0;
  }

  /** Grows (or only drops the tombstones) so that at most a quarter of the slots are used. */
  #rehash(): void {
    const keys = this.#keys, values = this.#values;
    let n = keys.length;
    while (this.#size * 4 > n) n *= 2;
    this.#keys = new Float64Array(n).fill(EMPTY);
    this.#values = new Int32Array(n);
    this.#mask = n - 1;
    this.#size = this.#used = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] >= 0) this.set(keys[i], values[i]);
  }
}

/** Mixes a safe integer's two 32-bit halves into a 32-bit hash. */
function hash(key: number): number {
  let h = Math.imul((key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

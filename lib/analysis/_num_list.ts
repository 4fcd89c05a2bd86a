/**
 * A growable list of numbers for the line parser.
 *
 * @module
 */

/**
 * A growable list of numbers (NaN stands for `null`), reused line after line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NumList } from "./_num_list.ts";
 * const l = new NumList();
 * l.push(3);
 * assert.deepEqual([l.n, l.a[0]], [1, 3]);
 * l.clear();
 * assert.equal(l.n, 0);
 * ```
 */
export class NumList {
  #a: Float64Array = new Float64Array(8);
  #n = 0;

  /** Storage (only the first {@link n} entries are valid; replaced when it grows). */
  get a(): Float64Array {
    return this.#a;
  }

  /** Number of entries. */
  get n(): number {
    return this.#n;
  }

  /** Appends `v`. */
  push(v: number): void {
    if (this.#n === this.#a.length) {
      const b = new Float64Array(this.#n * 2);
      b.set(this.#a);
      this.#a = b;
    }
    this.#a[this.#n++] = v;
  }

  /** Empties the list (keeping its storage). */
  clear(): void {
    this.#n = 0;
  }
}

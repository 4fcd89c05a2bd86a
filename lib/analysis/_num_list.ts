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
 * import { NumList } from "./_num_list.ts";
 * const l = new NumList();
 * l.push(3);
 * [l.n, l.a[0]]; // [1, 3]
 * ```
 */
export class NumList {
  /** Storage (only the first `n` entries are valid). */
  a: Float64Array = new Float64Array(8);
  /** Number of entries. */
  n = 0;
  /** Appends `v`. */
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.n * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/**
 * The k-way merge of the log streams by `system_time`: a binary min-heap of stream indices
 * keyed by (head time, index), so each line costs O(log k) however many machines there are,
 * and ties go to the lower index (the order a linear scan would give).
 *
 * @module
 */

/**
 * A min-heap over streams `0..k-1`, each with the time of its next line.
 *
 * @example
 * ```ts
 * import { MergeHeap } from "./_merge_heap.ts";
 * import assert from "node:assert/strict";
 * const heap = new MergeHeap(new Float64Array([3, 1, Infinity, 1]));
 * const order: number[] = [];
 * const next = [[], [2], [], [5]] as number[][];
 * for (let i = heap.top(); i >= 0; i = heap.top()) {
 *   order.push(i);
 *   heap.replaceTop(next[i].shift() ?? Infinity);
 * }
 * assert.deepEqual(order, [1, 3, 1, 0, 3]);
 * ```
 */
export class MergeHeap {
  #heap: Int32Array;
  #time: Float64Array;
  #size = 0;

  /** `times[i]`: time of stream i's first line (Infinity: empty, left out). */
  constructor(times: Float64Array) {
    this.#time = Float64Array.from(times);
    this.#heap = new Int32Array(times.length);
    for (let i = 0; i < times.length; i++) {
      if (times[i] !== Infinity) this.#heap[this.#size++] = i;
    }
    for (let i = (this.#size >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  /** The stream whose next line comes first, or -1 when all are done. */
  top(): number {
    return this.#size > 0 ? this.#heap[0] : -1;
  }

  /** The top stream's next line is at `time` (Infinity: the stream is done). */
  replaceTop(time: number): void {
    if (time === Infinity) {
      this.#size--;
      if (this.#size === 0) return;
      this.#heap[0] = this.#heap[this.#size];
    } else this.#time[this.#heap[0]] = time;
    this.#down(0);
  }

  #less(a: number, b: number): boolean {
    const ta = this.#time[a], tb = this.#time[b];
    return ta < tb || (ta === tb && a < b);
  }

  #down(i: number): void {
    const h = this.#heap, n = this.#size, item = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.#less(h[c + 1], h[c])) c++;
      if (!this.#less(h[c], item)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = item;
  }
}

/**
 * The causal past and future of one event in a run held in memory (the interactive report's
 * click), without vector clocks per event: the past on each machine is a prefix of its events
 * and the future a suffix, so both are found by walking message edges from prefix to prefix,
 * touching each event at most once.
 *
 * @module
 */

/** A run as events per machine and message edges (received messages only). */
export interface CausalGraph {
  /** Events per process (log), in order. */
  counts: number[];
  /** Per message: sending process, index of its SEND, receiving process, index of its RECEIVE. */
  edges: {
    from: ArrayLike<number>;
    fromIndex: ArrayLike<number>;
    to: ArrayLike<number>;
    toIndex: ArrayLike<number>;
  };
}

/** Past and future of one event. */
export interface Cone {
  /** Per process, how many of its first events are in the past (the event itself included). */
  past: Int32Array;
  /** Per process, the index of its first event in the future (the count when none). */
  future: Int32Array;
  /** Events in the causal past (the event excluded). */
  pastCount: number;
  /** Events in the causal future (the event excluded). */
  futureCount: number;
  /** Events concurrent with it. */
  concurrentCount: number;
}

/**
 * Index of a run for cone queries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CausalIndex } from "./cone.ts";
 * // Process 0: a0 a1 (a1 sends to b1); process 1: b0 b1 b2.
 * const idx = new CausalIndex({
 *   counts: [2, 3],
 *   edges: { from: [0], fromIndex: [1], to: [1], toIndex: [1] },
 * });
 * const c = idx.cone(1, 2); // b2
 * assert.deepEqual([...c.past], [2, 3]); // a0 a1 b0 b1 b2
 * assert.deepEqual([c.pastCount, c.futureCount, c.concurrentCount], [4, 0, 0]);
 * assert.deepEqual([...idx.cone(0, 0).future], [0, 1]); // a0 → a1 → b1 → b2
 * assert.equal(idx.cone(1, 0).concurrentCount, 2); // b0 ∥ a0, a1
 * ```
 */
export class CausalIndex {
  #counts: number[];
  #base: Int32Array;
  #total: number;
  // CSR lists by global event id: the messages into a RECEIVE and out of a SEND.
  #inStart: Int32Array;
  #inList: Int32Array;
  #outStart: Int32Array;
  #outList: Int32Array;

  /** Indexes `graph` (O(events + messages)). */
  constructor(graph: CausalGraph) {
    const n = graph.counts.length;
    this.#counts = graph.counts.slice();
    this.#base = new Int32Array(n + 1);
    for (let p = 0; p < n; p++) this.#base[p + 1] = this.#base[p] + graph.counts[p];
    this.#total = this.#base[n];
    const e = graph.edges, m = e.from.length;
    const src = new Int32Array(m), dst = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      src[k] = this.#base[e.from[k]] + e.fromIndex[k];
      dst[k] = this.#base[e.to[k]] + e.toIndex[k];
    }
    [this.#inStart, this.#inList] = csr(this.#total, dst, src);
    [this.#outStart, this.#outList] = csr(this.#total, src, dst);
  }

  /** Number of events. */
  get total(): number {
    return this.#total;
  }

  /** The process and index of global event id `g`. */
  locate(g: number): [number, number] {
    let lo = 0, hi = this.#counts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#base[mid] <= g) lo = mid;
      else hi = mid - 1;
    }
    return [lo, g - this.#base[lo]];
  }

  /** Past and future of event `index` of process `p`. */
  cone(p: number, index: number): Cone {
    const n = this.#counts.length, past = this.past(p, index), future = this.#future(p, index);
    let pastCount = -1, futureCount = -1;
    for (let q = 0; q < n; q++) {
      pastCount += past[q];
      futureCount += this.#counts[q] - future[q];
    }
    return {
      past,
      future,
      pastCount,
      futureCount,
      concurrentCount: this.#total - 1 - pastCount - futureCount,
    };
  }

  /** The past alone (see {@link Cone.past}): the event's vector clock, by process. */
  past(p: number, index: number): Int32Array {
    const n = this.#counts.length, base = this.#base;
    const past = new Int32Array(n), scanned = new Int32Array(n);
    past[p] = index + 1;
    const work = [p];
    while (work.length > 0) {
      const q = work.pop()!;
      for (let j = scanned[q]; j < past[q]; j++) {
        const g = base[q] + j;
        for (let k = this.#inStart[g]; k < this.#inStart[g + 1]; k++) {
          const [s, si] = this.locate(this.#inList[k]);
          if (si + 1 > past[s]) (past[s] = si + 1, work.push(s));
        }
      }
      if (past[q] > scanned[q]) scanned[q] = past[q];
    }
    return past;
  }

  #future(p: number, index: number): Int32Array {
    const base = this.#base;
    const future = Int32Array.from(this.#counts), low = Int32Array.from(this.#counts);
    future[p] = index;
    const work = [p];
    while (work.length > 0) {
      const q = work.pop()!;
      for (let j = future[q]; j < low[q]; j++) {
        const g = base[q] + j;
        for (let k = this.#outStart[g]; k < this.#outStart[g + 1]; k++) {
          const [r, ri] = this.locate(this.#outList[k]);
          if (ri < future[r]) (future[r] = ri, work.push(r));
        }
      }
      if (future[q] < low[q]) low[q] = future[q];
    }
    return future;
  }
}

/** Compressed lists: for each key in [0, size), the values of the pairs with that key. */
function csr(size: number, keys: Int32Array, values: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(size + 1);
  for (const k of keys) start[k + 1]++;
  for (let i = 0; i < size; i++) start[i + 1] += start[i];
  const fill = start.slice(0, size), list = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) list[fill[keys[k]]++] = values[k];
  return [start, list];
}

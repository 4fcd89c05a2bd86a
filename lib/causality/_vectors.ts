/**
 * The vector clocks of the tracker, stored so that only a RECEIVE that brings news costs O(n):
 * each machine holds a shared, immutable *snapshot* of its entries for the other machines (its
 * own entry is its event count), which changes only when a message brings a larger entry. A
 * SEND shares its sender's snapshot (reference counted, pooled). The per-machine-pair sums
 * `S[i][j] = Σ_{a on i} V(a)[j]` (how many (b on j, a on i) pairs have b → a) are added lazily,
 * once per snapshot, times the number of events that used it.
 *
 * @module
 */

/** One immutable set of entries for the machines other than its owner. */
export interface Snapshot {
  /** Entry per process (the owner's own slot stays 0). */
  vec: Uint32Array;
  /** Sum of `vec`. */
  sum: number;
  /** Holders: its owner (while current) and the messages in flight that carry it. */
  refs: number;
}

/**
 * Snapshots of `n` processes, the pair sums, and a budget of entries held at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VectorStore } from "./_vectors.ts";
 * const v = new VectorStore(2, { maxEntries: 1000 });
 * v.tick(0); // event 1 of process 0
 * const carried = v.current(0);
 * v.hold(carried);
 * v.merge(1, carried, 0, 1); // process 1 receives it
 * v.tick(1);
 * v.release(carried);
 * v.flushAll();
 * assert.equal(v.pairSum(1, 0), 1); // process 1's event has process 0's event in its past
 * ```
 */
export class VectorStore {
  /** Number of processes. */
  readonly n: number;
  #cur: Snapshot[];
  #since: Float64Array;
  #pairs: Float64Array;
  #pool: Snapshot[] = [];
  /** Vector entries merged so far (the O(n) work of the receives). */
  work = 0;
  #live = 0;
  #maxLive: number;

  /** `maxEntries`: the most vector entries held at once (exceeding it throws a RangeError). */
  constructor(n: number, options: { maxEntries: number }) {
    this.n = n;
    const zero: Snapshot = { vec: new Uint32Array(n), sum: 0, refs: Infinity };
    this.#cur = new Array(n).fill(zero);
    this.#since = new Float64Array(n);
    this.#pairs = new Float64Array(n * n);
    this.#maxLive = Math.max(1, Math.floor(options.maxEntries / Math.max(1, n)));
  }

  /** The current snapshot of process `p`. */
  current(p: number): Snapshot {
    return this.#cur[p];
  }

  /** Counts one more event of `p` under its current snapshot. */
  tick(p: number): void {
    this.#since[p]++;
  }

  /** A message in flight now carries `s`. */
  hold(s: Snapshot): void {
    s.refs++;
  }

  /** A message no longer carries `s`. */
  release(s: Snapshot): void {
    if (--s.refs === 0) {
      this.#pool.push(s);
      this.#live--;
    }
  }

  /**
   * Process `r` receives a message sent by `s` as its event number `own` (1-based), carrying
   * snapshot `carried`: r's entries become the maximum of both. Returns whether they changed.
   */
  merge(r: number, carried: Snapshot, s: number, own: number): boolean {
    const a = this.#cur[r], av = a.vec, bv = carried.vec, n = this.n;
    let news = s !== r && own > av[s];
    if (!news) {
      for (let j = 0; j < n; j++) {
        if (bv[j] > av[j] && j !== r) {
          news = true;
          break;
        }
      }
    }
    if (!news) return false;
    this.work += n;
    // One pass: add r's pending events to its pair sums (with the old entries), then take the
    // maxima. Held by no message, the snapshot is updated in place; otherwise a fresh one.
    const k = this.#since[r], row = r * n, pairs = this.#pairs;
    this.#since[r] = 0;
    const c = a.refs === 1 ? a : this.#alloc(), cv = c.vec;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const x = av[j], y = bv[j];
      if (k !== 0 && x !== 0) pairs[row + j] += x * k;
      const m = x > y ? x : y;
      cv[j] = m;
      sum += m;
    }
    sum -= cv[r];
    cv[r] = 0;
    if (s !== r && own > cv[s]) (sum += own - cv[s], cv[s] = own);
    c.sum = sum;
    if (c !== a) {
      c.refs = 1;
      this.release(a);
      this.#cur[r] = c;
    }
    return true;
  }

  /** Adds the pending events of every process to the pair sums. */
  flushAll(): void {
    for (let p = 0; p < this.n; p++) this.#flush(p);
  }

  /** `Σ_{a on i} V(a)[j]` (after {@link flushAll}), for i ≠ j. */
  pairSum(i: number, j: number): number {
    return this.#pairs[i * this.n + j];
  }

  #flush(p: number): void {
    const k = this.#since[p];
    if (k === 0) return;
    const v = this.#cur[p];
    if (v.sum > 0) {
      const row = p * this.n, vec = v.vec, pairs = this.#pairs;
      for (let j = 0; j < this.n; j++) pairs[row + j] += vec[j] * k;
    }
    this.#since[p] = 0;
  }

  #alloc(): Snapshot {
    const s = this.#pool.pop();
    if (s !== undefined) {
      this.#live++;
      return s;
    }
    if (this.#live >= this.#maxLive) {
      throw new RangeError(
        `Cannot hold more vector clocks: ${this.#live} snapshots of ${this.n} entries are in use by messages in flight: current limit is ${this.#maxLive}`,
      );
    }
    this.#live++;
    return { vec: new Uint32Array(this.n), sum: 0, refs: 0 };
  }

  /** Fills `out` with the full vector of process `p`'s latest event (its count is `own`). */
  fill(p: number, own: number, out: Uint32Array): void {
    out.set(this.#cur[p].vec);
    out[p] = own;
  }
}

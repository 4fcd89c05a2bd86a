/**
 * The vector clocks of the tracker, stored so that only a RECEIVE that brings news costs O(n):
 * each machine holds a shared, immutable *snapshot* of its entries for the other machines (its
 * own entry is its event count), which changes only when a message brings a larger entry. A
 * SEND shares its sender's snapshot (reference counted, pooled). The per-machine-pair sums
 * `S[i][j] = Σ_{a on i} V(a)[j]` (how many (b on j, a on i) pairs have b → a) need no work per
 * event: entry j of machine i only rises, by Δ at i's event number k, which adds Δ to the N_i − k
 * events from there on; so S[i][j] = N_i · V_last[j] − Σ Δ · k, and only the entries a RECEIVE
 * raises are written.
 *
 * @module
 */

/** One immutable set of entries for the machines other than its owner. */
export interface Snapshot {
  /** Entry per process (the owner's own slot stays 0). */
  vec: Uint32Array;
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
 * assert.equal(v.pairSum(1, 0), 1); // process 1's event has process 0's event in its past
 * ```
 */
export class VectorStore {
  #n: number;
  #cur: Snapshot[];
  #count: Float64Array;
  /** Σ Δ · k per (i, j): see the module doc. */
  #raised: Float64Array;
  #pool: Snapshot[] = [];
  #work = 0;
  #live = 0;
  #maxLive: number;

  /** `maxEntries`: the most vector entries held at once (exceeding it throws a RangeError). */
  constructor(n: number, options: { maxEntries: number }) {
    this.#n = n;
    const zero: Snapshot = { vec: new Uint32Array(n), refs: Infinity };
    this.#cur = new Array(n).fill(zero);
    this.#count = new Float64Array(n);
    this.#raised = new Float64Array(n * n);
    this.#maxLive = Math.max(1, Math.floor(options.maxEntries / Math.max(1, n)));
  }

  /** Number of processes. */
  get n(): number {
    return this.#n;
  }

  /** Vector entries merged so far (the O(n) work of the receives). */
  get work(): number {
    return this.#work;
  }
  /** The current snapshot of process `p`. */
  current(p: number): Snapshot {
    return this.#cur[p];
  }

  /** Counts one more event of `p` under its current snapshot. */
  tick(p: number): void {
    this.#count[p]++;
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
    const a = this.#cur[r], av = a.vec, bv = carried.vec, n = this.#n;
    // One pass: up to the first entry the message raises nothing changes (and often nothing
    // does); from there the entries are merged, in place or into a copy.
    let j = 0;
    while (j < n && (bv[j] <= av[j] || j === r)) j++;
    if (j === n && !(s !== r && own > av[s])) return false;
    this.#work += n;
    // The RECEIVE is r's event number k (0-based): each raised entry counts from there on.
    // Held by no message, the snapshot is updated in place; otherwise a fresh one.
    const k = this.#count[r], row = r * n, raised = this.#raised;
    const c = a.refs === 1 ? a : this.#alloc(), cv = c.vec;
    if (c !== a) cv.set(av);
    for (; j < n; j++) {
      const x = cv[j], y = bv[j];
      if (y > x && j !== r) {
        cv[j] = y;
        raised[row + j] += (y - x) * k;
      }
    }
    if (s !== r && own > cv[s]) {
      raised[row + s] += (own - cv[s]) * k;
      cv[s] = own;
    }
    if (c !== a) {
      c.refs = 1;
      this.release(a);
      this.#cur[r] = c;
    }
    return true;
  }

  /** `Σ_{a on i} V(a)[j]`, for i ≠ j. */
  pairSum(i: number, j: number): number {
    return this.#count[i] * this.#cur[i].vec[j] - this.#raised[i * this.#n + j];
  }

  #alloc(): Snapshot {
    const s = this.#pool.pop();
    if (s !== undefined) {
      this.#live++;
      return s;
    }
    if (this.#live >= this.#maxLive) {
      throw new RangeError(
        `Cannot hold more vector clocks: ${this.#live} snapshots of ${this.#n} entries are in use by messages in flight: current limit is ${this.#maxLive}`,
      );
    }
    this.#live++;
    return { vec: new Uint32Array(this.#n), refs: 0 };
  }

  /** Fills `out` with the full vector of process `p`'s latest event (its count is `own`). */
  fill(p: number, own: number, out: Uint32Array): void {
    out.set(this.#cur[p].vec);
    out[p] = own;
  }
}

/**
 * Counts the pairs of events with equal Lamport values, streaming. Each machine's values rise
 * strictly (C1), so a value below every running machine's last value can get no new event:
 * its count is final and its slot is freed. Memory is the spread of the machines' clocks (the
 * drift), not the run's length.
 *
 * @module
 */

/**
 * Pairs with equal Lamport values, over a sliding window of values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EqualLamportPairs } from "./_equal_lamport.ts";
 * const eq = new EqualLamportPairs();
 * for (const l of [1, 2, 3]) eq.add(l); // machine A
 * for (const l of [2, 3, 5]) eq.add(l); // machine B
 * eq.add(3); // machine C
 * assert.equal(eq.finish(), 1 + 3); // {2, 2} and three pairs among the 3s
 * ```
 */
export class EqualLamportPairs {
  #counts = new Uint32Array(1024);
  /** Lamport value of slot `#head`. */
  #base = 0;
  #head = 0;
  #pairs = 0;
  /** Values that fell below the window (only when C1 is broken): the count is then unknown. */
  #invalid = 0;

  /** Events whose value fell below the window (only when C1 is broken): the count is unknown. */
  get invalid(): number {
    return this.#invalid;
  }

  /** Counts one event with Lamport value `l` (an integer >= 0). */
  add(l: number): void {
    let off = l - this.#base;
    if (off < 0) return void this.#invalid++;
    const cap = this.#counts.length;
    if (off >= cap) {
      this.#grow(off + 1);
      off = l - this.#base;
    }
    const i = (this.#head + off) & (this.#counts.length - 1);
    this.#pairs += this.#counts[i];
    this.#counts[i]++;
  }

  /** No event below Lamport value `floor` will be added: frees their slots. */
  settle(floor: number): void {
    const n = Math.min(floor - this.#base, this.#counts.length);
    if (!(n > 0)) return;
    const c = this.#counts, mask = c.length - 1;
    for (let k = 0; k < n; k++) c[(this.#head + k) & mask] = 0;
    this.#head = (this.#head + n) & mask;
    this.#base = floor;
  }

  /** Pairs with equal values so far (all of them once every event was added). */
  finish(): number {
    return this.#pairs;
  }

  #grow(need: number): void {
    const old = this.#counts, cap = old.length;
    let size = cap * 2; // a power of two: slots are found with a mask
    while (size < need) size *= 2;
    const next = new Uint32Array(size);
    for (let k = 0; k < cap; k++) next[k] = old[(this.#head + k) & (cap - 1)];
    this.#counts = next;
    this.#head = 0;
  }
}

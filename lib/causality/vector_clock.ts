/**
 * Vector clocks: one counter per machine, compared entry by entry. `a` happened before `b`
 * exactly when every entry of `a` is ≤ the one of `b` and the two differ (Mattern, Fidge).
 *
 * @module
 */

/** How two vector clocks (two events) relate under happened-before. */
export type ClockOrder = "before" | "after" | "equal" | "concurrent";

/**
 * An immutable vector clock: machine id → number of that machine's events in an event's
 * causal past (the event itself included). Entries that are 0 are not stored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VectorClock } from "./vector_clock.ts";
 * const a = new VectorClock({ 1: 2, 2: 1 });
 * const b = new VectorClock({ 1: 2, 2: 3 });
 * const c = new VectorClock({ 1: 3 });
 * assert.equal(a.compare(b), "before");
 * assert.equal(b.compare(a), "after");
 * assert.equal(b.compare(c), "concurrent");
 * assert.equal(a.compare(new VectorClock({ 2: 1, 1: 2 })), "equal");
 * assert.equal(a.get(3), 0);
 * assert.deepEqual(a.toJSON(), { "1": 2, "2": 1 });
 * ```
 */
export class VectorClock {
  #ids: number[];
  #counts: number[];

  /** Builds a clock from `{ machineId: count }` or `[machineId, count]` pairs. */
  constructor(entries: Record<number, number> | Iterable<readonly [number, number]> = []) {
    const pairs: [number, number][] = [];
    const list = Symbol.iterator in Object(entries)
      ? [...(entries as Iterable<readonly [number, number]>)]
      : Object.entries(entries).map(([k, v]) => [Number(k), v] as const);
    for (const [id, count] of list) {
      if (!Number.isInteger(id) || id < 0) {
        throw new RangeError(
          `Cannot create VectorClock as a machine id must be an integer >= 0: current value is ${id}`,
        );
      }
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(
          `Cannot create VectorClock as the count of machine ${id} must be an integer >= 0: current value is ${count}`,
        );
      }
      if (count > 0) pairs.push([id, count]);
    }
    pairs.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < pairs.length; i++) {
      if (pairs[i][0] === pairs[i - 1][0]) {
        throw new RangeError(
          `Cannot create VectorClock as machine ${pairs[i][0]} is given twice: current value is ${
            pairs[i - 1][1]
          } and ${pairs[i][1]}`,
        );
      }
    }
    this.#ids = pairs.map((p) => p[0]);
    this.#counts = pairs.map((p) => p[1]);
  }

  /** The count of machine `id` (0 when absent). */
  get(id: number): number {
    let lo = 0, hi = this.#ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, v = this.#ids[mid];
      if (v === id) return this.#counts[mid];
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** The non-zero entries, by machine id. */
  entries(): [number, number][] {
    return this.#ids.map((id, i) => [id, this.#counts[i]]);
  }

  /** Sum of the entries: the number of events in the causal past, the event included. */
  size(): number {
    let s = 0;
    for (const c of this.#counts) s += c;
    return s;
  }

  /** Compares with `other`: "before" means this event happened before the other one. */
  compare(other: VectorClock): ClockOrder {
    let less = false, greater = false;
    const a = this.#ids, b = other.#ids;
    let i = 0, j = 0;
    while (i < a.length || j < b.length) {
      let x = 0, y = 0;
      if (j >= b.length || (i < a.length && a[i] < b[j])) x = this.#counts[i++];
      else if (i >= a.length || b[j] < a[i]) y = other.#counts[j++];
      else (x = this.#counts[i++], y = other.#counts[j++]);
      if (x < y) less = true;
      else if (x > y) greater = true;
      if (less && greater) return "concurrent";
    }
    return less ? "before" : greater ? "after" : "equal";
  }

  /** `{ "machineId": count }`, as ShiViz and JSON expect. */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    this.#ids.forEach((id, i) => out[String(id)] = this.#counts[i]);
    return out;
  }

  /** `{1: 2, 2: 1}`-style text. */
  toString(): string {
    return `{${this.#ids.map((id, i) => `${id}: ${this.#counts[i]}`).join(", ")}}`;
  }
}

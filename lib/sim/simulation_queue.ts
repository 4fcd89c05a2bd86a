/**
 * The simulation's agenda: a binary min-heap of events ordered by (time, seq), where `seq`
 * is the insertion number, so events at the same instant run in the order they were
 * scheduled and a run is fully deterministic.
 *
 * @module
 */

/** One scheduled event. */
export interface Scheduled<T> {
  /** Virtual time (ms from the start of the run). */
  time: number;
  /** Insertion number (tie-breaker). */
  seq: number;
  /** What happens. */
  item: T;
}

/**
 * A (time, seq) priority queue.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventQueue } from "./simulation_queue.ts";
 * const q = new EventQueue<string>();
 * q.push(5, "b");
 * q.push(1, "a");
 * q.push(5, "c");
 * assert.deepEqual([q.pop()!.item, q.pop()!.item, q.pop()!.item], ["a", "b", "c"]);
 * ```
 */
export class EventQueue<T> {
  #heap: Scheduled<T>[] = [];
  #seq = 0;

  /** Number of events waiting. */
  get size(): number {
    return this.#heap.length;
  }

  /** Schedules `item` at `time`; returns its entry. */
  push(time: number, item: T): Scheduled<T> {
    if (!Number.isFinite(time)) {
      throw new RangeError(`Cannot schedule an event: current time is ${time} (want finite)`);
    }
    const entry = { time, seq: this.#seq++, item };
    const h = this.#heap;
    let i = h.length;
    h.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = entry;
    return entry;
  }

  /** The earliest event without removing it. */
  peek(): Scheduled<T> | undefined {
    return this.#heap[0];
  }

  /** Removes and returns the earliest event. */
  pop(): Scheduled<T> | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(h[r], h[l]) ? r : l;
      if (!before(h[c], last)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
    return top;
  }

  /** Removes and returns every waiting event, in (time, seq) order. */
  drain(): Scheduled<T>[] {
    const all = this.#heap.sort((a, b) => (a.time - b.time) || (a.seq - b.seq));
    this.#heap = [];
    return all;
  }
}

function before<T>(a: Scheduled<T>, b: Scheduled<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * The receive queue of a machine: FIFO of arrived messages, O(1) push and shift, compacted
 * as it drains.
 *
 * @module
 */

/** A message waiting in the receive queue. */
export interface Incoming {
  /** Sender id; `null` for an original-format (bare integer) message. */
  from: number | null;
  /** Sender's sequence number; `null` for an original-format message. */
  seq: number | null;
  /** Clock value carried (already validated). */
  clock: number;
  /** Arrival time, ms of the injected time source. */
  arrivedMs: number;
  /** Sender's session (from its hello); `null` or absent when not known (legacy). */
  session?: number | null;
}

/**
 * A first-in first-out queue of {@linkcode Incoming} messages.
 *
 * @example
 * ```ts
 * import { ReceiveQueue } from "./receive_queue.ts";
 * import assert from "node:assert/strict";
 * const q = new ReceiveQueue();
 * q.push({ from: 2, seq: 1, clock: 5, arrivedMs: 0 });
 * q.push({ from: 3, seq: 1, clock: 7, arrivedMs: 0 });
 * assert.equal(q.shift()?.clock, 5);
 * assert.equal(q.length, 1);
 * ```
 */
export class ReceiveQueue {
  #items: (Incoming | undefined)[] = [];
  #head = 0;

  /** Messages waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends a message. */
  push(message: Incoming): void {
    this.#items.push(message);
  }

  /** Takes the oldest message (`undefined` when empty). */
  shift(): Incoming | undefined {
    const m = this.#items[this.#head];
    if (m === undefined) return undefined;
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return m;
  }

  /** The waiting messages, oldest first (a copy). */
  toArray(): Incoming[] {
    return this.#items.slice(this.#head) as Incoming[];
  }
}

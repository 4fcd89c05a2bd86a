/**
 * In-memory transport of the simulation: a send hands the frame to a callback (the
 * simulation schedules its delivery after a random delay); every peer's id is known from the
 * start, and nothing is ever dropped.
 *
 * @module
 */
import type { Transport } from "../core/machine.ts";
import type { MsgFrame } from "../core/wire.ts";

/** Where a frame goes: the sending node's index, the receiving node's index, the frame. */
export type Post = (from: number, to: number, frame: MsgFrame) => void;

/**
 * Transport of node `self` among simulated nodes; `peers[i]` is the node index of peer `i`
 * and `ids[n]` the machine id of node index `n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryTransport } from "./memory_transport.ts";
 * const posted: unknown[] = [];
 * const t = new MemoryTransport({ self: 0, peers: [1, 2], ids: [1, 2, 3], post: (f, to, m) => posted.push([f, to, m.seq]) });
 * assert.equal(t.peerId(1), 3);
 * t.send(0, { type: "msg", from: 1, seq: 1, clock: 1 });
 * assert.deepEqual(posted, [[0, 1, 1]]);
 * ```
 */
export class MemoryTransport implements Transport {
  #self: number;
  #peers: number[];
  #ids: number[];
  #post: Post;

  /** Creates the transport of node index `self`. */
  constructor(options: { self: number; peers: number[]; ids: number[]; post: Post }) {
    for (const p of options.peers) {
      if (!(p >= 0 && p < options.ids.length) || p === options.self) {
        throw new RangeError(
          `Cannot link node ${options.self}: current peer index is ${p} (have ${options.ids.length} nodes)`,
        );
      }
    }
    this.#self = options.self;
    this.#peers = options.peers;
    this.#ids = options.ids;
    this.#post = options.post;
  }

  /** Hands `frame` to the network for peer number `peer`. */
  send(peer: number, frame: MsgFrame): void {
    this.#post(this.#self, this.#peers[peer], frame);
  }

  /** The machine id of peer number `peer` (known from the start). */
  peerId(peer: number): number | null {
    return this.#ids[this.#peers[peer]] ?? null;
  }
}

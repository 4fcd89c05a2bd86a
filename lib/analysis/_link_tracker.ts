/**
 * What the logs say about connections: LINK_UP / LINK_DOWN counts, the peers a machine lists
 * in STARTUP but never connected to, the messages each machine logged UNDELIVERED per peer, and
 * PROTOCOL_ERROR counts with the first examples. Presentation only: the message ledger keeps
 * the books.
 *
 * @module
 */
import {
  EV_LEGACY_PEER,
  EV_LINK_DOWN,
  EV_LINK_UP,
  EV_PROTOCOL_ERROR,
  EV_STARTUP,
  EV_UNDELIVERED,
  type EventLine,
  KEY,
} from "./_event_line.ts";
import { addressOf } from "./_address_book.ts";

/** A peer as a machine's log names it. */
export interface PeerRef {
  /** The machine whose log it is. */
  machine_id: number;
  /** The peer's address (`host:port`). */
  peer: string;
  /** The peer's machine id when the logs tell it, else null. */
  peer_id: number | null;
}

/** Messages one machine logged UNDELIVERED to one peer. */
export interface UndeliveredToPeer extends PeerRef {
  /** How many. */
  count: number;
  /** The `reason` of the first of them. */
  reason: string;
}

/** The `links` part of the summary. */
export interface LinkSummary {
  /**
   * Whether the logs record connections: a LINK_UP or LINK_DOWN, or an UNDELIVERED "peer never
   * connected" (false: simulated runs, the original schema).
   */
  logged: boolean;
  /** LINK_UP events (each end of a connection logs one). */
  up: number;
  /** LINK_DOWN events. */
  down: number;
  /**
   * Peers listed in a machine's STARTUP `peers` it never logged a LINK_UP "out" to (peers it
   * speaks to in the original protocol, `legacy:` or LEGACY_PEER, are not expected to).
   */
  never_connected: PeerRef[];
  /** UNDELIVERED events by (machine, peer), most first. */
  undelivered_by_peer: UndeliveredToPeer[];
  /** PROTOCOL_ERROR events, counting those suppressed by the rate limit. */
  protocol_errors: number;
  /** Of them, not logged one by one (rate limit). */
  protocol_errors_suppressed: number;
  /** The first five, `file:line: peer: reason`. */
  protocol_error_examples: string[];
}

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|\[::\])$/;

/**
 * Collects the link facts, one event at a time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventLine } from "./_event_line.ts";
 * import { LinkTracker } from "./_link_tracker.ts";
 * const links = new LinkTracker([1, 2], { ports: new Map([[5001, 1], [5002, 2]]) });
 * const line = new EventLine();
 * const feed = (machine: number, json: string) => {
 *   const bytes = new TextEncoder().encode(json);
 *   line.parse(bytes, 0, bytes.length);
 *   links.feed(machine, line, { path: "m.log", lineNo: 1 });
 * };
 * feed(0, '{"event": "STARTUP", "system_time": 0, "machine_id": 1, "clock_rate": 1, "peers": ["127.0.0.1:5002"]}');
 * feed(1, '{"event": "STARTUP", "system_time": 0, "machine_id": 2, "clock_rate": 1, "peers": ["127.0.0.1:5001"]}');
 * feed(1, '{"event": "LINK_UP", "system_time": 1, "machine_id": 2, "peer": "127.0.0.1:5001", "peer_id": 1, "direction": "out"}');
 * const s = links.summary();
 * assert.deepEqual([s.logged, s.up], [true, 1]);
 * assert.deepEqual(s.never_connected, [{ machine_id: 1, peer: "127.0.0.1:5002", peer_id: 2 }]);
 * ```
 */
export class LinkTracker {
  #machineIds: number[];
  #ports: Map<number, number>;
  // STARTUP peers, parsed once per distinct entry (a 1000-machine run lists a million entries
  // of a thousand distinct ones): entry → index into #addr (its address) and #entryId.
  #entries = new Map<string, number>();
  #addr: string[] = [];
  #entryId: (number | null)[] = [];
  #listed: number[][]; // per machine: its STARTUP entries (indices), in order
  #linked: Set<string>[]; // per machine: addresses with a LINK_UP "out"
  #legacy: Set<string>[]; // per machine: peers switched to the original protocol
  #unreached = 0; // UNDELIVERED "peer never connected": a real run, even without any LINK_UP
  #undelivered = new Map<string, UndeliveredToPeer>();
  #up = 0;
  #down = 0;
  #errors = 0;
  #suppressed = 0;
  #examples: string[] = [];

  /** `machineIds`: by machine index; `ports`: STARTUP port → machine id, for local peers. */
  constructor(machineIds: number[], options: { ports: Map<number, number> }) {
    this.#machineIds = machineIds;
    this.#ports = options.ports;
    this.#listed = machineIds.map(() => []);
    this.#linked = machineIds.map(() => new Set());
    this.#legacy = machineIds.map(() => new Set());
  }

  /** One event of machine `machine` (an index), logged at `at.path`:`at.lineNo`. */
  feed(machine: number, line: EventLine, at: { path: string; lineNo: number }): void {
    const e = line.event;
    if (e === EV_LINK_UP) {
      this.#up++;
      if (line.str(KEY.direction) === "out") this.#linked[machine].add(line.str(KEY.peer));
    } else if (e === EV_LINK_DOWN) this.#down++;
    else if (e === EV_LEGACY_PEER) {
      // Spoken to in the original protocol (no hello, no LINK_UP): not "never connected".
      this.#legacy[machine].add(line.str(KEY.peer));
    } else if (e === EV_STARTUP) {
      for (const entry of line.peers()) this.#listPeer(machine, entry);
    } else if (e === EV_UNDELIVERED) {
      const peer = line.str(KEY.peer), to = line.num[KEY.to];
      const key = `${machine} ${peer}`;
      if (line.str(KEY.reason).startsWith("peer never connected")) this.#unreached++;
      const known = this.#undelivered.get(key);
      if (known !== undefined) known.count++;
      else {
        this.#undelivered.set(key, {
          machine_id: this.#machineIds[machine],
          peer,
          peer_id: Number.isNaN(to) ? this.#idOf(peer) : to,
          count: 1,
          reason: line.str(KEY.reason),
        });
      }
    } else if (e === EV_PROTOCOL_ERROR) {
      const suppressed = line.has(KEY.suppressed) ? line.num[KEY.suppressed] : 0;
      this.#suppressed += suppressed;
      this.#errors += 1 + suppressed;
      if (this.#examples.length < 5) {
        this.#examples.push(
          `${at.path}:${at.lineNo}: ${line.str(KEY.peer)}: ${line.str(KEY.reason)}`,
        );
      }
    }
  }

  /** The facts collected. */
  summary(): LinkSummary {
    const logged = this.#up + this.#down + this.#unreached > 0;
    const never: PeerRef[] = [];
    if (logged) {
      this.#listed.forEach((listed, i) => {
        const peers = new Map<string, number | null>(); // address → id (if known)
        for (const k of listed) peers.set(this.#addr[k], this.#entryId[k]);
        for (const [peer, id] of peers) {
          if (!this.#linked[i].has(peer) && !this.#legacy[i].has(peer)) {
            never.push({ machine_id: this.#machineIds[i], peer, peer_id: id });
          }
        }
      });
    }
    return {
      logged,
      up: this.#up,
      down: this.#down,
      never_connected: never,
      undelivered_by_peer: [...this.#undelivered.values()].sort((a, b) => b.count - a.count),
      protocol_errors: this.#errors,
      protocol_errors_suppressed: this.#suppressed,
      protocol_error_examples: [...this.#examples],
    };
  }

  /** A STARTUP `peers` entry: `[legacy:][id@]host:port` (legacy peers never link up). */
  #listPeer(machine: number, entry: string): void {
    let k = this.#entries.get(entry);
    if (k === undefined) {
      if (entry.startsWith("legacy:")) k = -1;
      else {
        const at = /^(\d+)@(.+)$/.exec(entry);
        const peer = at === null ? entry : at[2];
        const colon = peer.lastIndexOf(":");
        const normal = addressOf(peer.slice(0, colon), Number(peer.slice(colon + 1)));
        k = this.#addr.push(normal) - 1;
        this.#entryId.push(at === null ? this.#idOf(normal) : Number(at[1]));
      }
      this.#entries.set(entry, k);
    }
    if (k >= 0) this.#listed[machine].push(k);
  }

  /** The machine id of a local address, by its port, else null. */
  #idOf(address: string): number | null {
    const colon = address.lastIndexOf(":");
    if (!LOCAL.test(address.slice(0, colon))) return null;
    return this.#ports.get(Number(address.slice(colon + 1))) ?? null;
  }
}

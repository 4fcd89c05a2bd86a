/**
 * Messages between our nodes and original (Python) nodes in a mixed cluster, which carry no
 * ids: what can be counted and compared instead of matched. Our side logs every message to an
 * original node as UNCONFIRMED (written, no ack possible) or UNDELIVERED, and every
 * bare-integer message it took in (RECEIVE or END's queue with `from: null`); the original
 * side logs its SENDs (recipient addresses) and RECEIVEs (no queue at END). So, per machine:
 * messages received ≤ messages sent to it by the logs given — an inequality, not a match.
 *
 * @module
 */
import { AddressBook, addressOf } from "./_address_book.ts";
import {
  EV_END,
  EV_LEGACY_PEER,
  EV_RECEIVE,
  EV_SEND,
  EV_UNCONFIRMED,
  EV_UNDELIVERED,
  type EventLine,
  KEY,
  QUEUED_FIELDS,
} from "./_event_line.ts";

/** One machine's received-vs-sent comparison. */
export interface LegacyCount {
  /** Machine id. */
  machine_id: number;
  /** "original": its RECEIVEs vs messages sent to it; "ours": its bare-integer messages. */
  schema: "original" | "ours";
  /** Messages it logged as received (ours: RECEIVE or queued at END with `from: null`). */
  received: number;
  /** Messages the logs given say were sent to it (ours: UNCONFIRMED; originals: SEND). */
  sent_to_it: number;
  /** `received <= sent_to_it`. */
  holds: boolean;
}

/** The summary of a mixed cluster's legacy traffic. */
export interface LegacySummary {
  /** Machines whose logs are in the original schema. */
  original_machines: number[];
  /** Peers our nodes spoke the original protocol to (`host:port`, with the id when known). */
  legacy_peers: string[];
  /** Messages our nodes sent to original nodes (SEND recipients). */
  sent_to_original: number;
  /** ...written on a connection of their own: "unconfirmed (legacy peer)". */
  unconfirmed: number;
  /** ...logged UNDELIVERED (never written). */
  undelivered: number;
  /** ...with neither line (the sender's log ends without END). */
  fate_unknown: number;
  /** Bare-integer messages our nodes took in (RECEIVE or queued at END). */
  received_from_original: number;
  /** Per machine, received ≤ sent to it. */
  counts: LegacyCount[];
  /** SEND recipients of original nodes that name no machine of these logs. */
  unattributed: number;
}

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/;

/** `host:port`, with any loopback host as `local` (`localhost` and 127.0.0.1 are one). */
function key(address: string): string {
  const colon = address.lastIndexOf(":");
  return LOCAL.test(address.slice(0, colon)) ? `local${address.slice(colon)}` : address;
}

function bump<K>(map: Map<K, number>, k: K, n = 1): void {
  map.set(k, (map.get(k) ?? 0) + n);
}

/**
 * Counts the legacy traffic of the lines fed to it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LegacyTraffic } from "./_legacy_traffic.ts";
 * const none = new LegacyTraffic({ originalIds: new Set(), ports: new Map([[5001, 1]]) });
 * assert.equal(none.finish(), null); // no original node, no legacy peer: nothing to count
 * const traffic = new LegacyTraffic({ originalIds: new Set([3]), ports: new Map([[5001, 1]]) });
 * const machine3 = traffic.finish()?.counts.find((c) => c.machine_id === 3);
 * assert.deepEqual([machine3?.received, machine3?.holds], [0, true]); // received <= sent
 * ```
 */
export class LegacyTraffic {
  #originalIds: Set<number>;
  #book: AddressBook;
  #targets = new Map<string, number | null>(); // "inc address" → peer id (LEGACY_PEER)
  #idOf = new Map<string, number>(); // key(address) → machine id of an original node
  // SEND recipients of our nodes, per incarnation and address: every SEND of every run counts
  // here (a legacy peer may be named later), so addresses are numbered once (host → port →
  // number) instead of building an "inc address" string per recipient.
  #sendsTo: Map<number, number>[] = []; // per incarnation: address number → recipients
  #addrOf = new Map<string, Map<number, number>>(); // host → port → address number
  #addrIndex = new Map<string, number>(); // address → its number
  #unconfirmed = new Map<string, number>(); // "inc address" → UNCONFIRMED
  #undelivered = new Map<string, number>(); // "inc address" → UNDELIVERED
  #unconfirmedTo = new Map<string, number>(); // key(address) → UNCONFIRMED
  #received = new Map<number, number>(); // original machine id → RECEIVE
  #bare = new Map<number, number>(); // our machine id → bare-integer messages
  #origSends = new Map<string, number>(); // key(address) → original SEND recipients

  /** `originalIds`: machines with original-schema logs; `ports`: our STARTUP ports. */
  constructor(options: { originalIds: Set<number>; ports: Map<number, number> }) {
    this.#originalIds = options.originalIds;
    this.#book = new AddressBook(options.ports);
  }

  /** One line of incarnation `inc` (any schema; `ids`: its log is in ours). */
  line(line: EventLine, inc: number, ids: boolean): void {
    const e = line.event, id = line.num[KEY.machine_id];
    if (!ids) {
      if (e === EV_RECEIVE) bump(this.#received, id);
      else if (e === EV_SEND) {
        for (let j = 0; j < line.recipientPort.n; j++) {
          bump(this.#origSends, key(addressOf(line.recipientHost(j), line.recipientPort.a[j])));
        }
      }
      return;
    }
    if (e === EV_SEND) {
      const sends = this.#sendsTo[inc] ??= new Map();
      for (let j = 0; j < line.recipientPort.n; j++) {
        bump(sends, this.#addressNumber(line.recipientHost(j), line.recipientPort.a[j]));
      }
    } else if (e === EV_LEGACY_PEER) {
      const peerId = line.num[KEY.peer_id];
      this.#targets.set(`${inc} ${line.str(KEY.peer)}`, Number.isNaN(peerId) ? null : peerId);
      if (!Number.isNaN(peerId)) this.#idOf.set(key(line.str(KEY.peer)), peerId);
    } else if (e === EV_UNCONFIRMED || e === EV_UNDELIVERED) {
      const peer = line.str(KEY.peer);
      const target = `${inc} ${peer}`;
      if (e === EV_UNCONFIRMED) {
        if (!this.#targets.has(target)) this.#targets.set(target, null);
        bump(this.#unconfirmed, target);
        bump(this.#unconfirmedTo, key(peer));
        const to = line.num[KEY.to];
        if (!Number.isNaN(to)) this.#idOf.set(key(peer), to);
      } else if (this.#targets.has(target)) bump(this.#undelivered, target);
    } else if (e === EV_RECEIVE && Number.isNaN(line.num[KEY.from])) bump(this.#bare, id);
    else if (e === EV_END) {
      const q = line.queuedMsgs;
      for (let j = 0; j < q.n; j += QUEUED_FIELDS) if (Number.isNaN(q.a[j])) bump(this.#bare, id);
    }
  }

  /** The number of `host:port` (see `#sendsTo`). */
  #addressNumber(host: string, port: number): number {
    let ports = this.#addrOf.get(host);
    if (ports === undefined) this.#addrOf.set(host, ports = new Map());
    let n = ports.get(port);
    if (n === undefined) {
      // Two spellings of one host ("::1", "[::1]") are one address, as before numbering.
      const address = addressOf(host, port);
      n = this.#addrIndex.get(address) ?? this.#addrIndex.size;
      ports.set(port, n);
      this.#addrIndex.set(address, n);
    }
    return n;
  }

  /** Ids of the legacy peers our nodes named (LEGACY_PEER, UNCONFIRMED). */
  legacyIds(): number[] {
    return [...this.#targets.values(), ...this.#idOf.values()].filter((id) => id !== null);
  }

  /** Whether `address` was a legacy peer of incarnation `inc` (its messages are counted here). */
  isLegacy(inc: number, address: string): boolean {
    return this.#targets.has(`${inc} ${address}`);
  }

  /** The summary, or `null` when there was no legacy peer and no original log. */
  finish(): LegacySummary | null {
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    let sent = 0;
    for (const target of this.#targets.keys()) {
      const space = target.indexOf(" ");
      const address = this.#addrIndex.get(target.slice(space + 1));
      const sends = this.#sendsTo[Number(target.slice(0, space))];
      if (address !== undefined && sends !== undefined) sent += sends.get(address) ?? 0;
    }
    const unconfirmed = sum(this.#unconfirmed), undelivered = sum(this.#undelivered);
    const bareTotal = [...this.#bare.values()].reduce((a, b) => a + b, 0);
    // Bare integers alone (no original log, no legacy peer) are counted by the ledger.
    if (this.#targets.size === 0 && this.#originalIds.size === 0) return null;
    const counts: LegacyCount[] = [];
    const sentTo = new Map<number, number>(); // machine id → messages sent to it
    let unattributed = 0;
    for (const [address, n] of this.#origSends) {
      const id = this.#idOf.get(address) ??
        this.#book.resolve(-1, address.replace(/^local:/, "127.0.0.1:"));
      if (Number.isNaN(id)) unattributed += n;
      else bump(sentTo, id, n);
    }
    for (const [address, n] of this.#unconfirmedTo) {
      const id = this.#idOf.get(address);
      if (id !== undefined && this.#originalIds.has(id)) bump(sentTo, id, n);
    }
    for (const id of [...this.#originalIds].sort((a, b) => a - b)) {
      const received = this.#received.get(id) ?? 0, sentToIt = sentTo.get(id) ?? 0;
      counts.push({
        machine_id: id,
        schema: "original",
        received,
        sent_to_it: sentToIt,
        holds: received <= sentToIt,
      });
    }
    const bare = this.#originalIds.size > 0 ? [...this.#bare] : []; // else: no sends to count
    for (const [id, received] of bare.sort((a, b) => a[0] - b[0])) {
      const sentToIt = sentTo.get(id) ?? 0;
      counts.push({
        machine_id: id,
        schema: "ours",
        received,
        sent_to_it: sentToIt,
        holds: received <= sentToIt,
      });
    }
    return {
      original_machines: [...this.#originalIds].sort((a, b) => a - b),
      legacy_peers: [
        ...new Set([...this.#targets].map(([t, id]) => {
          const address = t.slice(t.indexOf(" ") + 1);
          return id === null ? address : `${id}@${address}`;
        })),
      ].sort(),
      sent_to_original: sent,
      unconfirmed,
      undelivered,
      fate_unknown: Math.max(0, sent - unconfirmed - undelivered),
      received_from_original: bareTotal,
      counts,
      unattributed,
    };
  }
}

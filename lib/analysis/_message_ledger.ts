/**
 * Matches messages across logs by identity (sender machine_id, seq, recipient id) and keeps
 * the conservation books: received, queued at the receiver's END, logged UNDELIVERED,
 * duplicates, orphans, unaccounted. Only messages in flight are kept in memory (an entry is
 * deleted once matched); per (sender, recipient) pair one bit per seq remembers what was
 * received, for duplicates.
 *
 * @module
 */
import type { CheckSet } from "./checks.ts";
import { AddressBook } from "./_address_book.ts";
import { AnalysisError } from "./errors.ts";
import {
  blank,
  type Entry,
  type MessageCounts,
  pool,
  type ReceiveAt,
  type SendAt,
  where,
} from "./_ledger_entry.ts";

export type { MessageCounts, ReceiveAt, SendAt } from "./_ledger_entry.ts";

const SENT = 1, RECEIVED = 2, QUEUED = 4, UNDELIVERED = 8;
const MAX_PAIRS = 4096;

/**
 * The conservation ledger.
 *
 * @example
 * ```ts
 * import { MessageLedger } from "./_message_ledger.ts";
 * import { AddressBook } from "./_address_book.ts";
 * import { createChecks } from "./checks.ts";
 * const ledger = new MessageLedger(new AddressBook(new Map()), createChecks(), new Set([1, 2]));
 * ledger.send(1, 1, 2, { clock: 1, time: 0, path: "m1.log", line: 2 });
 * ledger.receive(2, 1, 1, { msgClock: 1, newClock: 2, time: 0.1, path: "m2.log", line: 2 });
 * ledger.finish().matched; // 1
 * ```
 */
export class MessageLedger {
  readonly addresses: AddressBook;
  #checks: CheckSet;
  #pairs = new Map<number, Map<number, number>>();
  #receivedBits: Uint8Array[] = [];
  #entries = new Map<number, Entry>();
  #c = {
    sent: 0,
    received: 0,
    matched: 0,
    queuedAtEnd: 0,
    undelivered: 0,
    deliveredUnacknowledged: 0,
    duplicates: 0,
    orphans: 0,
    unaccounted: 0,
    toUnfinished: 0,
    legacy: 0,
    unlogged: 0,
  };
  /** The first unresolved recipients (`file:line (address)`), set by {@link finish}. */
  unresolvedList: string[] = [];
  #latSum = 0;
  #latMax = -Infinity;

  #machines: Set<number>;

  /** `machines`: the machine ids whose logs are analyzed. */
  constructor(addresses: AddressBook, checks: CheckSet, machines: Set<number>) {
    this.addresses = addresses;
    this.#checks = checks;
    this.#machines = machines;
  }

  /** Counts a RECEIVE of a bare-integer message. */
  legacy(): void {
    this.#c.legacy++;
  }

  /** A message sent by `from` with `seq` to machine `to`. */
  send(from: number, seq: number, to: number, at: SendAt): void {
    if (!this.#machines.has(to)) return void this.#c.unlogged++;
    this.#c.sent++;
    const key = this.#key(from, to, seq);
    let e = this.#entries.get(key);
    if (e === undefined) this.#entries.set(key, e = blank(0));
    e.flags |= SENT;
    e.sendClock = at.clock;
    e.sendTime = at.time;
    e.sendPath = at.path;
    e.sendLine = at.line;
    e.to = to;
    if (e.flags & RECEIVED) this.#match(key, e);
  }

  /** A SEND recipient given by id (`to`, NaN when null) and address. */
  sendTo(
    from: number,
    seq: number,
    to: number,
    address: string,
    at: SendAt,
  ): void {
    const id = Number.isNaN(to) ? this.addresses.resolve(from, address) : to;
    if (!Number.isNaN(id)) this.send(from, seq, id, at);
    else {
      const { clock, time, path, line } = at;
      this.addresses.defer(from, address, { seq, clock, time, path, line, undelivered: false });
    }
  }

  /** An UNDELIVERED of `from` (recipient id `to`, NaN when null). */
  undeliveredTo(from: number, seq: number, to: number, address: string, at: SendAt): void {
    const id = Number.isNaN(to) ? this.addresses.resolve(from, address) : to;
    if (!Number.isNaN(id)) this.undelivered(from, seq, id);
    else {
      const { clock, time, path, line } = at;
      this.addresses.defer(from, address, { seq, clock, time, path, line, undelivered: true });
    }
  }

  /** A LINK_UP "out" of `sender`: resolves the messages parked for that address. */
  linkUp(sender: number, peer: string, peerId: number): void {
    for (const m of this.addresses.linkUp(sender, peer, peerId)) {
      if (m.undelivered) this.undelivered(sender, m.seq, peerId);
      else this.send(sender, m.seq, peerId, m);
    }
  }

  /** A RECEIVE at machine `at` of (from, seq). */
  receive(
    at: number,
    from: number,
    seq: number,
    r: ReceiveAt,
  ): void {
    if (!this.#machines.has(from)) return void this.#c.unlogged++;
    this.#c.received++;
    const pair = this.#pair(from, at);
    if (this.#testAndSet(pair, seq)) {
      this.#c.duplicates++;
      this.#checks.conservation.fail(
        `${r.path}:${r.line}: duplicate: message (from ${from}, seq ${seq}) received again`,
      );
      return;
    }
    const key = seq * MAX_PAIRS + pair;
    let e = this.#entries.get(key);
    if (e === undefined) this.#entries.set(key, e = blank(0));
    e.flags |= RECEIVED;
    e.recvClock = r.msgClock;
    e.recvNew = r.newClock;
    e.recvTime = r.time;
    e.recvPath = r.path;
    e.recvLine = r.line;
    if (e.flags & SENT) this.#match(key, e);
  }

  /** A message (from, seq) still queued in `at`'s END. */
  queued(at: number, from: number, seq: number): void {
    if (!this.#machines.has(from)) return void this.#c.unlogged++;
    this.#mark(from, at, seq, QUEUED);
  }

  /** The sender logged (from, seq) to `to` as UNDELIVERED. */
  undelivered(from: number, seq: number, to: number): void {
    if (!this.#machines.has(to)) return;
    const pair = this.#pair(from, to);
    if (this.#test(pair, seq)) this.#c.deliveredUnacknowledged++;
    else this.#mark(from, to, seq, UNDELIVERED);
  }

  #mark(from: number, to: number, seq: number, flag: number): void {
    const key = this.#key(from, to, seq);
    const e = this.#entries.get(key);
    if (e !== undefined) e.flags |= flag;
    else {
      const b = blank(flag);
      b.recvPath = `(from ${from}, seq ${seq}, to ${to})`;
      this.#entries.set(key, b);
    }
  }

  #match(key: number, e: Entry): void {
    this.#entries.delete(key);
    this.#c.matched++;
    if (e.flags & UNDELIVERED) this.#c.deliveredUnacknowledged++;
    const c2 = this.#checks.c2;
    c2.checked++;
    if (e.recvClock !== e.sendClock || !(e.recvNew > e.sendClock)) {
      c2.fail(
        `${
          where(e.recvPath, e.recvLine)
        }: msg_clock ${e.recvClock} / receive clock ${e.recvNew} vs SEND new_clock ${e.sendClock} at ${
          where(e.sendPath, e.sendLine)
        }`,
      );
    }
    const lat = e.recvTime - e.sendTime;
    this.#latSum += lat;
    if (lat > this.#latMax) this.#latMax = lat;
    if (pool.length < 1024) pool.push(e);
  }

  #key(from: number, to: number, seq: number): number {
    return seq * MAX_PAIRS + this.#pair(from, to);
  }

  #pair(from: number, to: number): number {
    let inner = this.#pairs.get(from);
    if (inner === undefined) this.#pairs.set(from, inner = new Map());
    let p = inner.get(to);
    if (p === undefined) {
      p = this.#receivedBits.length;
      if (p >= MAX_PAIRS) {
        throw new AnalysisError(
          `Cannot match messages: too many (sender, recipient) pairs: current value is more than ${MAX_PAIRS}`,
        );
      }
      inner.set(to, p);
      this.#receivedBits.push(new Uint8Array(64));
    }
    return p;
  }

  #test(pair: number, seq: number): boolean {
    const bits = this.#receivedBits[pair], i = seq >>> 3;
    return i < bits.length && (bits[i] & (1 << (seq & 7))) !== 0;
  }

  #testAndSet(pair: number, seq: number): boolean {
    let bits = this.#receivedBits[pair];
    const i = Math.floor(seq / 8);
    if (i >= bits.length) {
      const grown = new Uint8Array(Math.max(i + 1, bits.length * 2));
      grown.set(bits);
      this.#receivedBits[pair] = bits = grown;
    }
    const bit = 1 << (seq & 7);
    if (bits[i] & bit) return true;
    bits[i] |= bit;
    return false;
  }

  /**
   * Messages whose recipient id was never known (SEND `to: null`, no LINK_UP for that address,
   * not a local port of an analyzed log). Such a message cannot have reached an analyzed machine
   * (delivery needs the link, whose LINK_UP names the peer), so it is accounted for only if its
   * sender also logged it UNDELIVERED; otherwise it is unaccounted. Returns how many messages.
   */
  #settleUnresolved(): number {
    const c = this.#c, cons = this.#checks.conservation;
    const list = this.addresses.takeUnresolved();
    for (const { address, seq, send, undelivered } of list) {
      const m = (send ?? undelivered)!;
      if (this.unresolvedList.length < 5) {
        this.unresolvedList.push(`${m.path}:${m.line} (${address})`);
      }
      if (send === undefined) {
        c.orphans++;
        cons.fail(`${where(m.path, m.line)}: orphan: UNDELIVERED with no SEND of seq ${seq}`);
        continue;
      }
      c.sent++;
      if (undelivered !== undefined) c.undelivered++;
      else {
        c.unaccounted++;
        cons.fail(`${where(m.path, m.line)}: unaccounted: sent to ${address} (id never known)`);
      }
    }
    return list.length;
  }

  /** Settles what is left in flight and returns the counts. */
  finish(options: { unfinished?: Set<number> } = {}): MessageCounts {
    const c = this.#c, cons = this.#checks.conservation;
    const unfinished = options.unfinished ?? new Set<number>();
    for (const e of this.#entries.values()) {
      if (e.flags & SENT) {
        if (e.flags & QUEUED) c.queuedAtEnd++;
        else if (e.flags & UNDELIVERED) c.undelivered++;
        else if (unfinished.has(e.to)) c.toUnfinished++;
        else {
          c.unaccounted++;
          cons.fail(
            `${
              where(e.sendPath, e.sendLine)
            }: unaccounted: sent, never received, queued or undelivered`,
          );
        }
      } else {
        c.orphans++;
        cons.fail(`${where(e.recvPath, e.recvLine)}: orphan: no SEND matches this message`);
      }
    }
    this.#entries.clear();
    const unresolved = this.#settleUnresolved();
    cons.checked = c.sent - c.toUnfinished + c.orphans + c.duplicates;
    return {
      ...c,
      unresolvedRecipients: unresolved,
      latency: c.matched > 0 ? { mean: this.#latSum / c.matched, max: this.#latMax } : null,
    };
  }
}

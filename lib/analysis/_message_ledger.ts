/**
 * Matches messages across logs by identity — (sender, sender's session, seq, recipient) — and
 * keeps the conservation books: received, queued at the receiver's END, logged UNDELIVERED,
 * rejected by the receiver, duplicates, orphans, unaccounted, and messages whose fate the logs
 * cannot tell. Only messages in flight are kept in memory (an entry is deleted once matched);
 * one bit per (sender incarnation, seq, recipient incarnation) remembers what was received, for
 * duplicates. Memory never depends on the values of seq (any seq up to 2^53 − 1 is handled).
 *
 * @module
 */
import type { CheckSet } from "./checks.ts";
import { AddressBook } from "./_address_book.ts";
import { IncarnationIndex, type LedgerIncarnation, NO_MACHINE } from "./_incarnation_index.ts";
import { LedgerBooks } from "./_ledger_books.ts";
import {
  type ArrivedMessage,
  EntryStore,
  type IncarnationEnd,
  type MessageCounts,
  type MessageExamples,
  QUEUED,
  RECEIVED,
  REJECTED,
  SENT,
  type SentMessage,
  UNDELIVERED,
  where,
} from "./_ledger_entry.ts";
import { PairBits, PairMap } from "./_pair_map.ts";
import { Latencies, type LegacyScope, NO_LEGACY, NoLogSends } from "./_ledger_aside.ts";
export type {
  ArrivedMessage,
  IncarnationEnd,
  MessageCounts,
  SentMessage,
} from "./_ledger_entry.ts";
export type { LedgerIncarnation } from "./_incarnation_index.ts";

/** Options of {@link MessageLedger}. */
export interface LedgerOptions {
  /** Resolves recipient addresses (keyed by incarnation index). */
  addresses: AddressBook;
  /** The checks (c2, conservation) the ledger feeds. */
  checks: CheckSet;
  /** Run start (epoch seconds): times in messages are seconds since it. */
  start?: number;
}

/**
 * The conservation ledger over the incarnations (log files) of a run, by index.
 *
 * @example
 * ```ts
 * import { MessageLedger } from "./_message_ledger.ts";
 * import { AddressBook } from "./_address_book.ts";
 * import { createChecks } from "./checks.ts";
 * import assert from "node:assert/strict";
 * const ledger = new MessageLedger(
 *   [{ machineId: 1, session: null, path: "m1.log" }, { machineId: 2, session: null, path: "m2.log" }],
 *   { addresses: new AddressBook(new Map()), checks: createChecks() },
 * );
 * ledger.send({ sender: 0, seq: 1, clock: 1, time: 0, path: "m1.log", line: 2 }, 2);
 * ledger.receive({
 *   at: 1, from: 1, fromSession: NaN, seq: 1, msgClock: 1, newClock: 2, time: 0.1,
 *   path: "m2.log", line: 2,
 * });
 * assert.equal(ledger.finish([]).matched, 1);
 * ```
 */
export class MessageLedger {
  #addresses: AddressBook;
  #checks: CheckSet;
  #index: IncarnationIndex;
  #books: LedgerBooks;
  #open: PairMap; // (sender incarnation × recipient machine, seq) → entry index
  #seen: PairBits;
  #store = new EntryStore();
  #latencies = new Latencies();
  #noLog = new NoLogSends(); // unlogged, unless to original nodes: see finish()

  /** `incarnations`: one per log file; a message names its sender by index in this list. */
  constructor(incarnations: LedgerIncarnation[], options: LedgerOptions) {
    this.#addresses = options.addresses;
    this.#checks = options.checks;
    this.#index = new IncarnationIndex(incarnations);
    this.#books = new LedgerBooks(this.#index, options);
    const n = Math.max(1, this.#index.count);
    this.#open = new PairMap(n * Math.max(1, this.#index.machines));
    this.#seen = new PairBits(n * n);
  }

  /** The address book the ledger resolves recipients with. */
  get addresses(): AddressBook {
    return this.#addresses;
  }

  /** First examples of what makes the run incomplete (complete after {@link finish}). */
  get examples(): MessageExamples {
    return this.#books.examples;
  }

  /** Counts a bare-integer message (received or queued): its sender is unknown. */
  legacy(): void {
    this.#books.tally("legacy");
  }

  /** A message sent by `m.sender` to machine `to`. */
  send(m: SentMessage, to: number): void {
    const toM = this.#index.machineIndex(to);
    if (toM === undefined) {
      return this.#noLog.add(to, () => where(m.path, m.line));
    }
    this.#books.tally("sent");
    const pair = m.sender * this.#index.machines + toM;
    const e = this.#entry(pair, m.sender, toM, m.seq);
    const c = this.#store.columns;
    c.flags[e] |= SENT;
    c.sendClock[e] = m.clock;
    c.sendTime[e] = m.time;
    c.sendLine[e] = m.line;
    if (c.flags[e] & RECEIVED) this.#match(pair, e);
  }

  /** A SEND recipient given by id (`recipient.to`, NaN when null) and address. */
  sendTo(m: SentMessage, recipient: { to: number; address: string }): void {
    const id = this.#resolve(m.sender, recipient);
    if (!Number.isNaN(id)) return this.send(m, id);
    this.#defer(m, recipient.address, false);
  }

  /** An UNDELIVERED of `m.sender` (recipient id `recipient.to`, NaN when null). */
  undeliveredTo(m: SentMessage, recipient: { to: number; address: string }): void {
    const id = this.#resolve(m.sender, recipient);
    if (!Number.isNaN(id)) return this.undelivered(m, id);
    this.#defer(m, recipient.address, true);
  }

  /** A LINK_UP "out" of incarnation `sender`: resolves the messages parked for that address. */
  linkUp(sender: number, link: { peer: string; peerId: number }): void {
    for (const p of this.#addresses.linkUp(sender, link.peer, link.peerId)) {
      const m = { sender, seq: p.seq, clock: p.clock, time: p.time, path: p.path, line: p.line };
      if (p.undelivered) this.undelivered(m, link.peerId);
      else this.send(m, link.peerId);
    }
  }

  /** The sender logged message `m` to machine `to` as UNDELIVERED. */
  undelivered(m: SentMessage, to: number): void {
    const toM = this.#index.machineIndex(to);
    if (toM === undefined) return; // counted as unlogged at its SEND
    if (this.#seenBy(m.sender, toM, m.seq, -1)) {
      return void this.#books.tally("deliveredUnacknowledged");
    }
    this.#mark(m.sender, toM, { seq: m.seq, at: m.sender, line: m.line }, UNDELIVERED);
  }

  /** A RECEIVE of a message with an id. */
  receive(r: ArrivedMessage): void {
    const s = this.#index.senderOf(r.from, r.fromSession);
    if (s < 0) return this.#unloggedSender(r, s);
    this.#books.tally("received");
    if (this.#seen.testAndSet(s * this.#index.count + r.at, r.seq)) {
      return this.#duplicate(r, "received again");
    }
    const toM = this.#index.machineOf(r.at);
    if (this.#seenBy(s, toM, r.seq, r.at)) return void this.#books.tally("redelivered");
    const pair = s * this.#index.machines + toM;
    const e = this.#entry(pair, s, toM, r.seq);
    const c = this.#store.columns;
    c.flags[e] |= RECEIVED;
    c.recvClock[e] = r.msgClock;
    c.recvNew[e] = r.newClock;
    c.recvTime[e] = r.time;
    c.recvInc[e] = r.at;
    c.recvLine[e] = r.line;
    if (c.flags[e] & SENT) this.#match(pair, e);
  }

  /** A message still queued in a receiver's END (`msgClock` = its clock). */
  queued(r: ArrivedMessage): void {
    const s = this.#index.senderOf(r.from, r.fromSession);
    if (s < 0) return this.#unloggedSender(r, s);
    if (this.#seen.test(s * this.#index.count + r.at, r.seq)) {
      return this.#duplicate(r, "received and still queued at END");
    }
    const toM = this.#index.machineOf(r.at);
    if (this.#seenBy(s, toM, r.seq, r.at)) return void this.#books.tally("redelivered");
    this.#mark(s, toM, r, QUEUED);
  }

  /** A PROTOCOL_ERROR by which the receiver refused a message (`from`, `seq`, `clock`). */
  rejected(r: ArrivedMessage): void {
    this.#books.rejection(
      `${where(r.path, r.line)}: rejected by the receiver: message (from ${r.from}${
        session(r)
      }, seq ${r.seq}, clock ${r.msgClock})`,
    );
    const s = this.#index.senderOf(r.from, r.fromSession);
    const toM = this.#index.machineOf(r.at);
    if (s < 0 || this.#seenBy(s, toM, r.seq, -1)) {
      return void this.#books.tally("rejectedOther");
    }
    this.#mark(s, toM, r, REJECTED);
  }

  /** Settles what is left in flight (`ends`: how each log ended), but messages to `legacy`. */
  finish(ends: IncarnationEnd[], legacy: LegacyScope = NO_LEGACY): MessageCounts {
    const open: number[] = [];
    this.#open.forEachValue((e) => open.push(e));
    this.#noLog.settle(legacy, (example) => this.#books.unlogged(example));
    this.#books.settle(open, {
      entries: this.#store.columns,
      ends,
      unresolved: this.#addresses.takeUnresolved().filter((u) =>
        !legacy.isLegacy(u.sender, u.address)
      ),
    });
    this.#open.clear();
    const c = this.#books.counts;
    return {
      ...c,
      latency: this.#latencies.latency(c.matched),
      skew: this.#latencies.skew(),
    };
  }

  #resolve(sender: number, recipient: { to: number; address: string }): number {
    return Number.isNaN(recipient.to)
      ? this.#addresses.resolve(sender, recipient.address)
      : recipient.to;
  }

  #defer(m: SentMessage, address: string, undelivered: boolean): void {
    const { seq, clock, time, path, line } = m;
    this.#addresses.defer(m.sender, address, { seq, clock, time, path, line, undelivered });
  }

  /** Whether an incarnation of machine `toM` other than `except` received (sender, seq). */
  #seenBy(sender: number, toM: number, seq: number, except: number): boolean {
    const n = this.#index.count;
    for (const inc of this.#index.incarnationsOf(toM)) {
      if (inc !== except && this.#seen.test(sender * n + inc, seq)) return true;
    }
    return false;
  }

  #unloggedSender(r: ArrivedMessage, code: number): void {
    this.#books.unlogged(
      code === NO_MACHINE
        ? `${where(r.path, r.line)}: message from machine ${r.from}, which has no log here`
        : `${where(r.path, r.line)}: message from machine ${r.from}${
          Number.isNaN(r.fromSession) ? "" : ` session ${r.fromSession}`
        }: no log of that incarnation here`,
    );
  }

  #duplicate(r: ArrivedMessage, what: string): void {
    this.#books.duplicate(
      `${where(r.path, r.line)}: duplicate: message (from ${r.from}${
        session(r)
      }, seq ${r.seq}) ${what}`,
    );
  }

  /** The entry of message (sender, seq) to machine `toM` (`pair` of them), created if new. */
  #entry(pair: number, sender: number, toM: number, seq: number): number {
    let e = this.#open.get(pair, seq, -1);
    if (e < 0) this.#open.set(pair, seq, e = this.#store.alloc(sender, toM, seq));
    return e;
  }

  /** Flags the message (sender, seq, toM); an entry it creates remembers where it was logged. */
  #mark(
    sender: number,
    toM: number,
    logged: { seq: number; at: number; line: number },
    flag: number,
  ) {
    const pair = sender * this.#index.machines + toM;
    const known = this.#open.get(pair, logged.seq, -1);
    if (known >= 0) return void (this.#store.columns.flags[known] |= flag);
    const e = this.#entry(pair, sender, toM, logged.seq);
    const c = this.#store.columns;
    c.flags[e] = flag;
    c.recvInc[e] = logged.at;
    c.recvLine[e] = logged.line;
  }

  #match(pair: number, e: number): void {
    const c = this.#store.columns, books = this.#books;
    this.#open.delete(pair, c.seq[e]);
    books.tally("matched");
    if (c.flags[e] & UNDELIVERED) books.tally("deliveredUnacknowledged");
    if (c.flags[e] & REJECTED) books.tally("rejectedOther"); // a copy was refused, the message delivered
    const c2 = this.#checks.c2;
    c2.count();
    if (c.recvClock[e] !== c.sendClock[e] || !(c.recvNew[e] > c.sendClock[e])) {
      c2.fail(
        `${where(this.#index.pathOf(c.recvInc[e]), c.recvLine[e])}: msg_clock ${
          c.recvClock[e]
        } / receive clock ${c.recvNew[e]} vs SEND new_clock ${c.sendClock[e]} at ${
          where(this.#index.pathOf(c.sender[e]), c.sendLine[e])
        }`,
      );
    }
    this.#latencies.add(
      c.recvTime[e] - c.sendTime[e],
      () =>
        `SEND ${where(this.#index.pathOf(c.sender[e]), c.sendLine[e])} → RECEIVE ${
          where(this.#index.pathOf(c.recvInc[e]), c.recvLine[e])
        }`,
    );
    this.#store.release(e);
  }
}

function session(r: ArrivedMessage): string {
  return Number.isNaN(r.fromSession) ? "" : `, session ${r.fromSession}`;
}

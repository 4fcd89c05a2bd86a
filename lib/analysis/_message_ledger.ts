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
import type {
  ArrivedMessage,
  Entry,
  IncarnationEnd,
  MessageCounts,
  MessageExamples,
  SentMessage,
} from "./_ledger_entry.ts";
import { where } from "./_ledger_entry.ts";
import { PairBits, PairMap } from "./_pair_map.ts";

export type {
  ArrivedMessage,
  IncarnationEnd,
  MessageCounts,
  SentMessage,
} from "./_ledger_entry.ts";

const SENT = 1, RECEIVED = 2, QUEUED = 4, UNDELIVERED = 8, REJECTED = 16;
const EXAMPLES = 5;
/**
 * A node killed mid-run may have taken in (and acknowledged) messages up to a little after its
 * last logged line (the log is flushed every 100 ms): messages sent up to this many seconds
 * after it are of unknown fate; a later one is owed an UNDELIVERED by its sender as usual.
 */
const ALIVE_SLACK_S = 5;

/** One log file of a machine, as the ledger knows it. */
export interface LedgerIncarnation {
  /** machine_id. */
  machineId: number;
  /** STARTUP `session`, null when the log has none. */
  session: number | null;
}

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
 *   [{ machineId: 1, session: null }, { machineId: 2, session: null }],
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
  #start: number;
  #machineIndex = new Map<number, number>();
  #machineIds: number[] = [];
  #incMachine: number[];
  #incsOf: number[][] = [];
  #sessionOf: Map<number, number>[] = [];
  #ends: IncarnationEnd[] = [];
  #open: PairMap<Entry>;
  #seen: PairBits;
  #pool: Entry[] = [];
  #c: Omit<MessageCounts, "latency"> = {
    sent: 0,
    received: 0,
    matched: 0,
    queuedAtEnd: 0,
    undelivered: 0,
    rejected: 0,
    rejectedOther: 0,
    deliveredUnacknowledged: 0,
    redelivered: 0,
    duplicates: 0,
    orphans: 0,
    unaccounted: 0,
    fateUnknown: 0,
    unresolvedRecipients: 0,
    legacy: 0,
    unlogged: 0,
  };
  #examples: MessageExamples = { fateUnknown: [], rejected: [], unlogged: [], unresolved: [] };
  #fateUnknownSent = 0;
  #latSum = 0;
  #latMax = -Infinity;

  /** `incarnations`: one per log file; a message names its sender by index in this list. */
  constructor(incarnations: LedgerIncarnation[], options: LedgerOptions) {
    this.#addresses = options.addresses;
    this.#checks = options.checks;
    this.#start = options.start ?? 0;
    this.#incMachine = incarnations.map((inc, i) => {
      let m = this.#machineIndex.get(inc.machineId);
      if (m === undefined) {
        this.#machineIndex.set(inc.machineId, m = this.#machineIds.length);
        this.#machineIds.push(inc.machineId);
        this.#incsOf.push([]);
        this.#sessionOf.push(new Map());
      }
      this.#incsOf[m].push(i);
      if (inc.session !== null) this.#sessionOf[m].set(inc.session, i);
      return m;
    });
    const n = Math.max(1, incarnations.length);
    this.#open = new PairMap(n * Math.max(1, this.#machineIds.length));
    this.#seen = new PairBits(n * n);
  }

  /** The address book the ledger resolves recipients with. */
  get addresses(): AddressBook {
    return this.#addresses;
  }

  /** First examples of what makes the run incomplete (valid after {@link finish}). */
  get examples(): MessageExamples {
    return this.#examples;
  }

  /** Counts a bare-integer message (received or queued): its sender is unknown. */
  legacy(): void {
    this.#c.legacy++;
  }

  /** A message sent by `m.sender` to machine `to`. */
  send(m: SentMessage, to: number): void {
    const toM = this.#machineIndex.get(to);
    if (toM === undefined) {
      return this.#unlogged(
        `${where(m.path, m.line)}: sent to machine ${to}, which has no log here`,
      );
    }
    this.#c.sent++;
    const pair = m.sender * this.#machineIds.length + toM;
    let e = this.#open.get(pair, m.seq);
    if (e === undefined) this.#open.set(pair, m.seq, e = this.#blank(m.sender, toM, m.seq));
    e.flags |= SENT;
    e.sendClock = m.clock;
    e.sendTime = m.time;
    e.sendPath = m.path;
    e.sendLine = m.line;
    if (e.flags & RECEIVED) this.#match(pair, e);
  }

  /** A SEND recipient given by id (`recipient.to`, NaN when null) and address. */
  sendTo(m: SentMessage, recipient: { to: number; address: string }): void {
    const id = Number.isNaN(recipient.to)
      ? this.#addresses.resolve(m.sender, recipient.address)
      : recipient.to;
    if (!Number.isNaN(id)) return this.send(m, id);
    const { seq, clock, time, path, line } = m;
    this.#addresses.defer(m.sender, recipient.address, {
      seq,
      clock,
      time,
      path,
      line,
      undelivered: false,
    });
  }

  /** An UNDELIVERED of `m.sender` (recipient id `recipient.to`, NaN when null). */
  undeliveredTo(m: SentMessage, recipient: { to: number; address: string }): void {
    const id = Number.isNaN(recipient.to)
      ? this.#addresses.resolve(m.sender, recipient.address)
      : recipient.to;
    if (!Number.isNaN(id)) return this.undelivered(m, id);
    const { seq, clock, time, path, line } = m;
    this.#addresses.defer(m.sender, recipient.address, {
      seq,
      clock,
      time,
      path,
      line,
      undelivered: true,
    });
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
    const toM = this.#machineIndex.get(to);
    if (toM === undefined) return; // counted as unlogged at its SEND
    if (this.#seenBy(m.sender, toM, m.seq, -1)) return void this.#c.deliveredUnacknowledged++;
    this.#mark(m.sender, toM, m, UNDELIVERED);
  }

  /** A RECEIVE of a message with an id. */
  receive(r: ArrivedMessage): void {
    const s = this.#senderOf(r);
    if (s < 0) return this.#unloggedSender(r, s);
    this.#c.received++;
    if (this.#seen.testAndSet(s * this.#incMachine.length + r.at, r.seq)) {
      return this.#duplicate(r, "received again");
    }
    const toM = this.#incMachine[r.at];
    if (this.#seenBy(s, toM, r.seq, r.at)) return void this.#c.redelivered++;
    const pair = s * this.#machineIds.length + toM;
    let e = this.#open.get(pair, r.seq);
    if (e === undefined) this.#open.set(pair, r.seq, e = this.#blank(s, toM, r.seq));
    e.flags |= RECEIVED;
    e.recvClock = r.msgClock;
    e.recvNew = r.newClock;
    e.recvTime = r.time;
    e.recvPath = r.path;
    e.recvLine = r.line;
    if (e.flags & SENT) this.#match(pair, e);
  }

  /** A message still queued in a receiver's END (`msgClock` = its clock). */
  queued(r: ArrivedMessage): void {
    const s = this.#senderOf(r);
    if (s < 0) return this.#unloggedSender(r, s);
    if (this.#seen.test(s * this.#incMachine.length + r.at, r.seq)) {
      return this.#duplicate(r, "received and still queued at END");
    }
    const toM = this.#incMachine[r.at];
    if (this.#seenBy(s, toM, r.seq, r.at)) return void this.#c.redelivered++;
    this.#mark(s, toM, r, QUEUED);
  }

  /** A PROTOCOL_ERROR by which the receiver refused a message (`from`, `seq`, `clock`). */
  rejected(r: ArrivedMessage): void {
    const text = `${where(r.path, r.line)}: rejected by the receiver: message (from ${r.from}${
      Number.isNaN(r.fromSession) ? "" : `, session ${r.fromSession}`
    }, seq ${r.seq}, clock ${r.msgClock})`;
    if (this.#examples.rejected.length < EXAMPLES) this.#examples.rejected.push(text);
    const s = this.#senderOf(r);
    if (s < 0 || this.#seenBy(s, this.#incMachine[r.at], r.seq, -1)) {
      return void this.#c.rejectedOther++;
    }
    this.#mark(s, this.#incMachine[r.at], r, REJECTED);
  }

  /** Settles what is left in flight (`ends`: how each incarnation's log ended) and counts. */
  finish(ends: IncarnationEnd[]): MessageCounts {
    this.#ends = ends;
    const c = this.#c, cons = this.#checks.conservation;
    for (const e of this.#open.values()) {
      if (e.flags & SENT) {
        if (e.flags & QUEUED) c.queuedAtEnd++;
        else if (e.flags & REJECTED) c.rejected++;
        else if (e.flags & UNDELIVERED) c.undelivered++;
        else {
          const why = this.#unknownFate(e.to, e.sender, e.sendTime);
          const before = this.#beforeFirstLog(e.to, e.sendTime);
          if (why !== "") this.#fateUnknown(`${where(e.sendPath, e.sendLine)}: ${why}`, true);
          else if (before !== "") {
            c.sent--;
            this.#unlogged(`${where(e.sendPath, e.sendLine)}: ${before}`);
          } else {
            c.unaccounted++;
            cons.fail(
              `${
                where(e.sendPath, e.sendLine)
              }: unaccounted: sent, never received, queued, rejected or undelivered`,
            );
          }
        }
      } else if (e.flags === REJECTED) c.rejectedOther++;
      else if ((e.flags & (RECEIVED | QUEUED)) !== 0 && this.#endOf(e.sender)?.finished === false) {
        const end = this.#endOf(e.sender)!;
        this.#fateUnknown(
          `${where(e.recvPath, e.recvLine)}: no SEND found, and the sender's log ${
            JSON.stringify(end.path)
          } ends at t=${this.#t(end.lastTime)} s without END (its last lines may be lost)`,
          false,
        );
      } else {
        c.orphans++;
        cons.fail(`${where(e.recvPath, e.recvLine)}: orphan: no SEND matches this message`);
      }
    }
    this.#open.clear();
    this.#settleUnresolved();
    cons.checked = c.sent - this.#fateUnknownSent + c.orphans + c.duplicates;
    cons.unknown = c.fateUnknown;
    return {
      ...c,
      latency: c.matched > 0 ? { mean: this.#latSum / c.matched, max: this.#latMax } : null,
    };
  }

  /** The sender's incarnation index; -1: no log of that machine, -2: none of that session. */
  #senderOf(r: ArrivedMessage): number {
    const m = this.#machineIndex.get(r.from);
    if (m === undefined) return -1;
    const incs = this.#incsOf[m];
    if (!Number.isNaN(r.fromSession)) {
      const inc = this.#sessionOf[m].get(r.fromSession);
      if (inc !== undefined) return inc;
      // A log without sessions cannot be told apart; one incarnation is unambiguous.
      return incs.length === 1 && this.#sessionOf[m].size === 0 ? incs[0] : -2;
    }
    return incs.length === 1 ? incs[0] : -2;
  }

  /** Whether an incarnation of machine `toM` other than `except` received (sender, seq). */
  #seenBy(sender: number, toM: number, seq: number, except: number): boolean {
    const n = this.#incMachine.length;
    for (const inc of this.#incsOf[toM]) {
      if (inc !== except && this.#seen.test(sender * n + inc, seq)) return true;
    }
    return false;
  }

  #unloggedSender(r: ArrivedMessage, code: number): void {
    const session = Number.isNaN(r.fromSession) ? "" : ` session ${r.fromSession}`;
    this.#unlogged(
      code === -1
        ? `${where(r.path, r.line)}: message from machine ${r.from}, which has no log here`
        : `${
          where(r.path, r.line)
        }: message from machine ${r.from}${session}: no log of that incarnation here`,
    );
  }

  #unlogged(example: string): void {
    this.#c.unlogged++;
    if (this.#examples.unlogged.length < EXAMPLES) this.#examples.unlogged.push(example);
  }

  #duplicate(r: ArrivedMessage, what: string): void {
    this.#c.duplicates++;
    const session = Number.isNaN(r.fromSession) ? "" : `, session ${r.fromSession}`;
    this.#checks.conservation.fail(
      `${
        where(r.path, r.line)
      }: duplicate: message (from ${r.from}${session}, seq ${r.seq}) ${what}`,
    );
  }

  #fateUnknown(example: string, sent: boolean): void {
    this.#c.fateUnknown++;
    if (sent) this.#fateUnknownSent++;
    if (this.#examples.fateUnknown.length < EXAMPLES) this.#examples.fateUnknown.push(example);
  }

  /** Flags the message (sender, seq, toM); an entry it creates remembers where `at` was logged. */
  #mark(
    sender: number,
    toM: number,
    at: { seq: number; path: string; line: number },
    flag: number,
  ) {
    const pair = sender * this.#machineIds.length + toM;
    const e = this.#open.get(pair, at.seq);
    if (e !== undefined) return void (e.flags |= flag);
    const b = this.#blank(sender, toM, at.seq);
    b.flags = flag;
    b.recvPath = at.path;
    b.recvLine = at.line;
    this.#open.set(pair, at.seq, b);
  }

  #match(pair: number, e: Entry): void {
    this.#open.delete(pair, e.seq);
    this.#c.matched++;
    if (e.flags & UNDELIVERED) this.#c.deliveredUnacknowledged++;
    if (e.flags & REJECTED) this.#c.rejectedOther++;
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
    if (this.#pool.length < 1024) this.#pool.push(e);
  }

  #blank(sender: number, to: number, seq: number): Entry {
    const e = this.#pool.pop();
    if (e !== undefined) {
      e.flags = 0;
      e.sender = sender;
      e.to = to;
      e.seq = seq;
      e.sendLine = e.recvLine = 0;
      e.sendPath = e.recvPath = "";
      return e;
    }
    return {
      flags: 0,
      sender,
      to,
      seq,
      sendClock: 0,
      sendTime: 0,
      sendPath: "",
      sendLine: 0,
      recvClock: 0,
      recvNew: 0,
      recvTime: 0,
      recvPath: "",
      recvLine: 0,
    };
  }

  #endOf(inc: number): IncarnationEnd | undefined {
    return this.#ends[inc];
  }

  #t(epoch: number): string {
    return String(Number((epoch - this.#start).toFixed(3)));
  }

  /**
   * Why the fate of a message sent by `sender` at `time` to machine `toM` is unknown, or "":
   * an incarnation of the recipient alive then (up to {@link ALIVE_SLACK_S} after its last
   * line) or the sender ended its log without END.
   */
  #unknownFate(toM: number, sender: number, time: number): string {
    let pick: IncarnationEnd | undefined;
    for (const inc of this.#incsOf[toM]) {
      const end = this.#ends[inc];
      if (end === undefined || end.finished || end.lastTime + ALIVE_SLACK_S < time) continue;
      if (pick === undefined) pick = end;
    }
    if (pick !== undefined) {
      return `fate unknown: recipient ${pick.machineId}'s log ${
        JSON.stringify(pick.path)
      } ends at t=${this.#t(pick.lastTime)} s without END`;
    }
    const own = this.#ends[sender];
    if (own !== undefined && !own.finished) {
      return `fate unknown: the sender's log ends at t=${
        this.#t(own.lastTime)
      } s without END (the message may never have left)`;
    }
    return "";
  }

  /**
   * For a message without any outcome sent to machine `toM` at `time`: when that is before the
   * first of its logs given here starts, the log of an earlier incarnation may be missing (the
   * message is then counted as unlogged, not unaccounted), else "".
   */
  #beforeFirstLog(toM: number, time: number): string {
    let first = Infinity;
    for (const inc of this.#incsOf[toM]) {
      first = Math.min(first, this.#ends[inc]?.firstTime ?? -Infinity);
    }
    if (!(time < first)) return "";
    return `sent to machine ${this.#machineIds[toM]} at t=${
      this.#t(time)
    } s, before its first log here starts (t=${
      this.#t(first)
    } s): the log of an earlier incarnation may be missing`;
  }

  /**
   * Messages whose recipient id was never known (SEND `to: null`, no LINK_UP for that address,
   * not a local port of an analyzed log). Such a message cannot have reached an analyzed machine
   * (delivery needs the link, whose LINK_UP names the peer), so it is accounted for only if its
   * sender also logged it UNDELIVERED; without that it is unaccounted, or of unknown fate when
   * the sender's log ends without END (UNDELIVERED is written at END).
   */
  #settleUnresolved(): void {
    const c = this.#c, cons = this.#checks.conservation;
    const list = this.#addresses.takeUnresolved();
    c.unresolvedRecipients = list.length;
    for (const { sender, address, seq, send, undelivered } of list) {
      const m = (send ?? undelivered)!;
      if (this.#examples.unresolved.length < EXAMPLES) {
        this.#examples.unresolved.push(`${m.path}:${m.line} (${address})`);
      }
      if (send === undefined) {
        c.orphans++;
        cons.fail(`${where(m.path, m.line)}: orphan: UNDELIVERED with no SEND of seq ${seq}`);
        continue;
      }
      c.sent++;
      if (undelivered !== undefined) c.undelivered++;
      else if (this.#ends[sender]?.finished === false) {
        this.#fateUnknown(
          `${
            where(m.path, m.line)
          }: fate unknown: sent to ${address} (id never known), and the sender's log ends without END`,
          true,
        );
      } else {
        c.unaccounted++;
        cons.fail(`${where(m.path, m.line)}: unaccounted: sent to ${address} (id never known)`);
      }
    }
  }
}

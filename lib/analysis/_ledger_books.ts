/**
 * The message ledger's books: its counts and examples, and the final settling of what is left
 * in flight once every log is read — queued, rejected, undelivered, of unknown fate (a log it
 * depends on ends without END), depending on a log not given, or unaccounted.
 *
 * @module
 */
import type { CheckSet } from "./checks.ts";
import type { UnresolvedMessage } from "./_address_book.ts";
import type { IncarnationIndex } from "./_incarnation_index.ts";
import {
  type Entries,
  type IncarnationEnd,
  type MessageCounts,
  type MessageExamples,
  QUEUED,
  RECEIVED,
  REJECTED,
  SENT,
  UNDELIVERED,
  where,
} from "./_ledger_entry.ts";

const EXAMPLES = 5;
/**
 * A node killed mid-run may have taken in (and acknowledged) messages up to a little after its
 * last logged line (the log is flushed every 100 ms): messages sent up to this many seconds
 * after it are of unknown fate; a later one is owed an UNDELIVERED by its sender as usual.
 */
const ALIVE_SLACK_S = 5;

/** The message counts a ledger keeps (latency aside). */
export type LedgerCounts = Omit<MessageCounts, "latency" | "skew">;

/**
 * Counts, examples and the final settling.
 *
 * @example
 * ```ts
 * import { LedgerBooks } from "./_ledger_books.ts";
 * import { IncarnationIndex } from "./_incarnation_index.ts";
 * import { createChecks } from "./checks.ts";
 * import assert from "node:assert/strict";
 * const index = new IncarnationIndex([{ machineId: 1, session: null, path: "m1.log" }]);
 * const books = new LedgerBooks(index, {
 *   checks: createChecks(),
 * });
 * books.unlogged("m1.log:3: sent to machine 9, which has no log here");
 * assert.equal(books.counts.unlogged, 1);
 * ```
 */
export class LedgerBooks {
  #counts: LedgerCounts = {
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
  #examples: MessageExamples = {
    fateUnknown: [],
    rejected: [],
    unlogged: [],
    unresolved: [],
  };
  #index: IncarnationIndex;
  #checks: CheckSet;
  #start: number;
  #ends: IncarnationEnd[] = [];
  #fateUnknownSent = 0;

  /** The counts so far (latency aside); change them with {@link tally}. */
  get counts(): Readonly<LedgerCounts> {
    return this.#counts;
  }

  /** The first examples of each kind. */
  get examples(): Readonly<MessageExamples> {
    return this.#examples;
  }

  /** Adds `n` (default 1) to count `key`. */
  tally(key: keyof LedgerCounts, n = 1): void {
    this.#counts[key] += n;
  }

  /** `start`: run start (epoch seconds), for the times in examples. */
  constructor(index: IncarnationIndex, options: { checks: CheckSet; start?: number }) {
    this.#index = index;
    this.#checks = options.checks;
    this.#start = options.start ?? 0;
  }

  /** A message to or from a machine (or incarnation) whose log is not given. */
  unlogged(example: string): void {
    this.#counts.unlogged++;
    this.#keep(this.#examples.unlogged, example);
  }

  /** A message received (or queued) twice by one incarnation: a conservation failure. */
  duplicate(example: string): void {
    this.#counts.duplicates++;
    this.#checks.conservation.fail(example);
  }

  /** A refusal by a receiver, as logged. */
  rejection(example: string): void {
    this.#keep(this.#examples.rejected, example);
  }

  /** A message whose fate the logs cannot tell (`sent`: it has a SEND). */
  fateUnknown(example: string, sent: boolean): void {
    this.#counts.fateUnknown++;
    if (sent) this.#fateUnknownSent++;
    this.#keep(this.#examples.fateUnknown, example);
  }

  /**
   * Settles the messages left in flight (`open`: entry indices into `entries`) and those whose
   * recipient was never resolved (`unresolved`), given how each incarnation's log ended
   * (`ends`, by incarnation index), and completes the conservation check's counts.
   */
  settle(
    open: number[],
    state: { entries: Entries; ends: IncarnationEnd[]; unresolved: UnresolvedMessage[] },
  ): void {
    this.#ends = state.ends;
    const c = this.#counts, cons = this.#checks.conservation, x = state.entries;
    for (const e of open) {
      const flags = x.flags[e];
      if (flags & SENT) {
        if (flags & QUEUED) c.queuedAtEnd++;
        else if (flags & REJECTED) c.rejected++;
        else if (flags & UNDELIVERED) c.undelivered++;
        else this.#settleLost(x, e);
      } else if (flags === REJECTED) c.rejectedOther++;
      else if ((flags & (RECEIVED | QUEUED)) !== 0 && this.#ends[x.sender[e]]?.finished === false) {
        const end = this.#ends[x.sender[e]];
        this.fateUnknown(
          `${this.#logged(x, e)}: no SEND found, and the sender's log ${
            JSON.stringify(end.path)
          } ends at t=${this.#t(end.lastTime)} s without END (its last lines may be lost)`,
          false,
        );
      } else {
        c.orphans++;
        cons.fail(`${this.#logged(x, e)}: orphan: no SEND matches this message`);
      }
    }
    this.#settleUnresolved(state.unresolved);
    cons.count(c.sent - this.#fateUnknownSent + c.orphans + c.duplicates);
    cons.undecided(c.fateUnknown);
  }

  /** A sent message with no outcome: unknown fate, a missing log, or unaccounted. */
  #settleLost(x: Entries, e: number): void {
    const at = where(this.#index.pathOf(x.sender[e]), x.sendLine[e]);
    const why = this.#unknownFate(x.to[e], x.sender[e], x.sendTime[e]);
    if (why !== "") return this.fateUnknown(`${at}: ${why}`, true);
    const before = this.#beforeFirstLog(x.to[e], x.sendTime[e]);
    if (before !== "") {
      this.#counts.sent--;
      return this.unlogged(`${at}: ${before}`);
    }
    this.#counts.unaccounted++;
    this.#checks.conservation.fail(
      `${at}: unaccounted: sent, never received, queued, rejected or undelivered`,
    );
  }

  /**
   * Why the fate of a message sent by `sender` at `time` to machine `toM` is unknown, or "":
   * an incarnation of the recipient alive then (up to {@link ALIVE_SLACK_S} after its last
   * line) or the sender ended its log without END.
   */
  #unknownFate(toM: number, sender: number, time: number): string {
    for (const inc of this.#index.incarnationsOf(toM)) {
      const end = this.#ends[inc];
      if (end === undefined || end.finished || end.lastTime + ALIVE_SLACK_S < time) continue;
      return `fate unknown: recipient ${end.machineId}'s log ${
        JSON.stringify(end.path)
      } ends at t=${this.#t(end.lastTime)} s without END`;
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
    for (const inc of this.#index.incarnationsOf(toM)) {
      first = Math.min(first, this.#ends[inc]?.firstTime ?? -Infinity);
    }
    if (!(time < first)) return "";
    return `sent to machine ${this.#index.machineId(toM)} at t=${
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
  #settleUnresolved(list: UnresolvedMessage[]): void {
    const c = this.#counts, cons = this.#checks.conservation;
    c.unresolvedRecipients = list.length;
    for (const { sender, address, seq, send, undelivered } of list) {
      const m = (send ?? undelivered)!;
      this.#keep(this.#examples.unresolved, `${m.path}:${m.line} (${address})`);
      if (send === undefined) {
        c.orphans++;
        cons.fail(`${where(m.path, m.line)}: orphan: UNDELIVERED with no SEND of seq ${seq}`);
        continue;
      }
      c.sent++;
      if (undelivered !== undefined) c.undelivered++;
      else if (this.#ends[sender]?.finished === false) {
        this.fateUnknown(
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

  /** Where the receiver-side line of entry `e` is (RECEIVE, queue, refusal or UNDELIVERED). */
  #logged(x: Entries, e: number): string {
    return where(this.#index.pathOf(x.recvInc[e]), x.recvLine[e]);
  }

  #keep(list: string[], example: string): void {
    if (list.length < EXAMPLES) list.push(example);
  }

  #t(epoch: number): string {
    return String(Number((epoch - this.#start).toFixed(3)));
  }
}

/**
 * Feeds the events that name messages (SEND, RECEIVE, END's queue, UNDELIVERED, a refusing
 * PROTOCOL_ERROR, LINK_UP "out") to the message ledger, reusing one record per kind: no object
 * per line.
 *
 * @module
 */
import {
  EV_END,
  EV_LINK_UP,
  EV_PROTOCOL_ERROR,
  EV_RECEIVE,
  EV_SEND,
  EV_UNDELIVERED,
  type EventLine,
  KEY,
  QUEUED_FIELDS,
} from "./_event_line.ts";
import { addressOf } from "./_address_book.ts";
import type { ArrivedMessage, MessageLedger, SentMessage } from "./_message_ledger.ts";

/** Where a line is: its incarnation (log file index), path and line number. */
export interface LineAt {
  /** Incarnation index. */
  inc: number;
  /** Log file. */
  path: string;
  /** Line number. */
  lineNo: number;
}

/**
 * Feeds one parsed line at a time to a ledger.
 *
 * @example
 * ```ts
 * import { LedgerFeed } from "./_ledger_feed.ts";
 * import { MessageLedger } from "./_message_ledger.ts";
 * import { AddressBook } from "./_address_book.ts";
 * import { createChecks } from "./checks.ts";
 * import { EventLine } from "./_event_line.ts";
 * import assert from "node:assert/strict";
 * const ledger = new MessageLedger([{ machineId: 1, session: null, path: "m1.log" }], {
 *   addresses: new AddressBook(new Map()), checks: createChecks(),
 * });
 * const line = new EventLine();
 * const text = new TextEncoder().encode(
 *   '{"event": "SEND", "system_time": 1, "machine_id": 1, "old_clock": 0, "new_clock": 1, "recipients": [["127.0.0.1", 5002]], "to": [2], "seq": 1}',
 * );
 * line.parse(text, 0, text.length);
 * new LedgerFeed(ledger).line(line, { inc: 0, path: "m1.log", lineNo: 2 });
 * assert.equal(ledger.finish([]).unlogged, 1); // machine 2 has no log here
 * ```
 */
export class LedgerFeed {
  #ledger: MessageLedger | null;
  #sent: SentMessage = { sender: 0, seq: 0, clock: 0, time: 0, path: "", line: 0 };
  #arrived: ArrivedMessage = {
    at: 0,
    from: 0,
    fromSession: NaN,
    seq: 0,
    msgClock: 0,
    newClock: NaN,
    time: 0,
    path: "",
    line: 0,
  };
  #recipient = { to: NaN, address: "" };

  /** `ledger`: where the messages go (null: nothing is fed). */
  constructor(ledger: MessageLedger | null) {
    this.#ledger = ledger;
  }

  /** One event of incarnation `at.inc`, logged at `at.path`:`at.lineNo`. */
  line(line: EventLine, at: LineAt): void {
    const ledger = this.#ledger, e = line.event;
    if (ledger === null) return;
    if (e === EV_SEND || e === EV_UNDELIVERED) {
      const s = this.#sent;
      s.sender = at.inc;
      s.seq = line.num[KEY.seq];
      s.clock = line.num[e === EV_SEND ? KEY.new_clock : KEY.clock];
      s.time = line.num[KEY.system_time];
      s.path = at.path;
      s.line = at.lineNo;
      const rcpt = this.#recipient;
      if (e === EV_UNDELIVERED) {
        rcpt.to = line.num[KEY.to];
        rcpt.address = line.str(KEY.peer);
        return ledger.undeliveredTo(s, rcpt);
      }
      for (let j = 0; j < line.to.n; j++) {
        const to = line.to.a[j];
        if (!Number.isNaN(to)) ledger.send(s, to);
        else {
          rcpt.to = NaN;
          rcpt.address = addressOf(line.recipientHost(j), line.recipientPort.a[j]);
          ledger.sendTo(s, rcpt);
        }
      }
    } else if (e === EV_RECEIVE) {
      const from = line.num[KEY.from];
      if (Number.isNaN(from)) return ledger.legacy();
      const r = this.#arrival(line, at, from);
      r.seq = line.num[KEY.seq];
      r.msgClock = line.num[KEY.msg_clock];
      r.newClock = line.num[KEY.new_clock];
      ledger.receive(r);
    } else if (e === EV_END) {
      const q = line.queuedMsgs;
      for (let j = 0; j < q.n; j += QUEUED_FIELDS) {
        if (Number.isNaN(q.a[j])) {
          ledger.legacy();
          continue;
        }
        const r = this.#arrival(line, at, q.a[j]);
        r.fromSession = q.a[j + 3];
        r.seq = q.a[j + 1];
        r.msgClock = q.a[j + 2];
        r.newClock = NaN;
        ledger.queued(r);
      }
    } else if (e === EV_PROTOCOL_ERROR && line.has(KEY.from)) {
      const r = this.#arrival(line, at, line.num[KEY.from]);
      r.seq = line.num[KEY.seq];
      r.msgClock = line.num[KEY.clock];
      r.newClock = NaN;
      ledger.rejected(r);
    } else if (e === EV_LINK_UP && line.str(KEY.direction) === "out") {
      const id = line.num[KEY.peer_id];
      if (!Number.isNaN(id)) ledger.linkUp(at.inc, { peer: line.str(KEY.peer), peerId: id });
    }
  }

  #arrival(line: EventLine, at: LineAt, from: number) {
    const r = this.#arrived;
    r.at = at.inc;
    r.from = from;
    r.fromSession = line.has(KEY.from_session) ? line.num[KEY.from_session] : NaN;
    r.time = line.num[KEY.system_time];
    r.path = at.path;
    r.line = at.lineNo;
    return r;
  }
}

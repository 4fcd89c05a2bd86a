/**
 * The records of the message ledger: one entry per message in flight, the events passed in
 * (callers may reuse one object per kind), and the counts it returns.
 *
 * @module
 */

/** {@link Entry.flags}: the SEND was seen. */
export const SENT = 1;
/** {@link Entry.flags}: a RECEIVE was seen. */
export const RECEIVED = 2;
/** {@link Entry.flags}: listed in the receiver's END `queued_msgs`. */
export const QUEUED = 4;
/** {@link Entry.flags}: the sender logged it UNDELIVERED. */
export const UNDELIVERED = 8;
/** {@link Entry.flags}: the receiver refused it (PROTOCOL_ERROR naming it). */
export const REJECTED = 16;

/** One message's state in the ledger. */
export interface Entry {
  /** SENT | RECEIVED | QUEUED | UNDELIVERED | REJECTED bits. */
  flags: number;
  /** Sender incarnation index. */
  sender: number;
  /** Recipient machine index. */
  to: number;
  /** Sender's seq. */
  seq: number;
  sendClock: number;
  sendTime: number;
  sendPath: string;
  sendLine: number;
  recvClock: number;
  recvNew: number;
  recvTime: number;
  /** Where the message was received, queued or rejected (for orphans). */
  recvPath: string;
  recvLine: number;
}

/**
 * Matched entries, reused so that matching allocates nothing in the steady state.
 *
 * @example
 * ```ts
 * import { EntryPool } from "./_ledger_entry.ts";
 * import assert from "node:assert/strict";
 * const pool = new EntryPool();
 * const e = pool.take(0, 1, 7);
 * pool.give(e);
 * assert.equal(pool.take(2, 3, 9), e);
 * assert.deepEqual([e.sender, e.to, e.seq, e.flags], [2, 3, 9, 0]);
 * ```
 */
export class EntryPool {
  #free: Entry[] = [];

  /** A blank entry for message (sender, seq) to machine index `to`. */
  take(sender: number, to: number, seq: number): Entry {
    const e = this.#free.pop();
    if (e === undefined) {
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
    e.flags = 0;
    e.sender = sender;
    e.to = to;
    e.seq = seq;
    e.sendLine = e.recvLine = 0;
    e.sendPath = e.recvPath = "";
    return e;
  }

  /** Returns an entry that is no longer used (up to 1024 are kept). */
  give(e: Entry): void {
    if (this.#free.length < 1024) this.#free.push(e);
  }
}

/** A SEND to one recipient (or a message parked until its recipient is known). */
export interface SentMessage {
  /** Sender incarnation index. */
  sender: number;
  /** Sender's seq. */
  seq: number;
  /** SEND new_clock. */
  clock: number;
  /** SEND system_time. */
  time: number;
  /** Log file. */
  path: string;
  /** Line number. */
  line: number;
}

/** A message as a receiver names it: RECEIVE, a `queued_msgs` entry, a rejecting PROTOCOL_ERROR. */
export interface ArrivedMessage {
  /** Receiver incarnation index. */
  at: number;
  /** Sender machine_id. */
  from: number;
  /** Sender session (`from_session`), NaN when not logged. */
  fromSession: number;
  /** Sender's seq. */
  seq: number;
  /** msg_clock (RECEIVE) or clock (the others). */
  msgClock: number;
  /** RECEIVE new_clock (NaN for the others). */
  newClock: number;
  /** system_time. */
  time: number;
  /** Log file. */
  path: string;
  /** Line number. */
  line: number;
}

/** How an incarnation's log ended, for the ledger's final settling. */
export interface IncarnationEnd {
  /** Machine index. */
  machine: number;
  /** machine_id. */
  machineId: number;
  /** Log file. */
  path: string;
  /** Whether the log has END. */
  finished: boolean;
  /** system_time of its first and last event. */
  firstTime: number;
  /** system_time of its last event. */
  lastTime: number;
}

/**
 * `file:line`, or just the text when there is no line.
 *
 * @example
 * ```ts
 * import { where } from "./_ledger_entry.ts";
 * import assert from "node:assert/strict";
 * assert.equal(where("m1.log", 3), "m1.log:3");
 * ```
 */
export function where(path: string, line: number): string {
  return line > 0 ? `${path}:${line}` : path;
}

/** The message counts of a run. */
export interface MessageCounts {
  /** Messages sent, one per (SEND, resolved recipient). */
  sent: number;
  /** RECEIVE events carrying an id (from, seq). */
  received: number;
  /** Received messages matched to their SEND. */
  matched: number;
  /** Sent messages still queued at the receiver's END. */
  queuedAtEnd: number;
  /** Sent messages logged UNDELIVERED by the sender and never received. */
  undelivered: number;
  /** Sent messages the receiver refused (PROTOCOL_ERROR naming the message). */
  rejected: number;
  /** Refusals naming a message no SEND explains, or one delivered anyway (forged, replayed). */
  rejectedOther: number;
  /** Logged UNDELIVERED but received anyway (the ack was lost or late). */
  deliveredUnacknowledged: number;
  /** Received again by a later incarnation of the recipient (resent after a restart). */
  redelivered: number;
  /** The same message received twice by one incarnation. */
  duplicates: number;
  /** Received (or queued) with an id that no SEND matches. */
  orphans: number;
  /** Sent and neither received, queued, rejected nor logged undelivered. */
  unaccounted: number;
  /** Messages whose fate the logs cannot tell: a log they depend on ends without END. */
  fateUnknown: number;
  /** SEND recipients whose id could not be resolved from the logs. */
  unresolvedRecipients: number;
  /** RECEIVE (or queued) bare-integer (original format) messages: outside conservation. */
  legacy: number;
  /** Messages to or from a machine (or incarnation) whose log was not given: outside conservation. */
  unlogged: number;
  /** Matched receive time − send time (s): mean and max, null when none. */
  latency: { mean: number; max: number } | null;
}

/** First examples of the messages that make a run incomplete, `file:line: what`. */
export interface MessageExamples {
  /** Fate unknown. */
  fateUnknown: string[];
  /** Rejected by the receiver (both kinds). */
  rejected: string[];
  /** Unlogged sender or recipient. */
  unlogged: string[];
  /** Unresolved recipients, `file:line (address)`. */
  unresolved: string[];
}

/**
 * The records of the message ledger: one entry per message in flight, the event positions
 * passed in, and the counts it returns.
 *
 * @module
 */

/** One message's state in the ledger. */
export interface Entry {
  flags: number;
  sendClock: number;
  sendTime: number;
  sendPath: string;
  sendLine: number;
  recvClock: number;
  recvNew: number;
  recvTime: number;
  recvPath: string;
  recvLine: number;
  /** Recipient id (set with SENT). */
  to: number;
}

/** Where and when a SEND happened (callers may reuse one object). */
export interface SendAt {
  /** SEND new_clock. */
  clock: number;
  /** SEND system_time. */
  time: number;
  /** Log file. */
  path: string;
  /** Line number. */
  line: number;
}

/** A RECEIVE (callers may reuse one object). */
export interface ReceiveAt {
  /** msg_clock. */
  msgClock: number;
  /** new_clock. */
  newClock: number;
  /** system_time. */
  time: number;
  /** Log file. */
  path: string;
  /** Line number. */
  line: number;
}

/**
 * `file:line`, or just the text when there is no line.
 *
 * @example
 * ```ts
 * import { where } from "./_ledger_entry.ts";
 * where("m1.log", 3); // "m1.log:3"
 * ```
 */
export function where(path: string, line: number): string {
  return line > 0 ? `${path}:${line}` : path;
}

/** Matched entries, reused so that matching allocates nothing in the steady state. */
export const pool: Entry[] = [];

/**
 * A fresh (or recycled) entry with `flags`.
 *
 * @example
 * ```ts
 * import { blank } from "./_ledger_entry.ts";
 * blank(1).flags; // 1
 * ```
 */
export function blank(flags: number): Entry {
  const e = pool.pop();
  if (e !== undefined) {
    e.flags = flags;
    e.sendLine = e.recvLine = 0;
    e.sendPath = e.recvPath = "";
    return e;
  }
  return {
    flags,
    sendClock: 0,
    sendTime: 0,
    sendPath: "",
    sendLine: 0,
    recvClock: 0,
    recvNew: 0,
    recvTime: 0,
    recvPath: "",
    recvLine: 0,
    to: NaN,
  };
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
  /** Logged UNDELIVERED but received anyway (the ack was lost or late). */
  deliveredUnacknowledged: number;
  /** The same (from, seq) received twice at one machine. */
  duplicates: number;
  /** Received (or queued) with a (from, seq) that no SEND matches. */
  orphans: number;
  /** Sent and neither received, queued nor logged undelivered. */
  unaccounted: number;
  /** Sent to a machine that did not finish (no END, so its queue is unknown), not received. */
  toUnfinished: number;
  /** SEND recipients whose id could not be resolved from the logs. */
  unresolvedRecipients: number;
  /** RECEIVE of a bare-integer (original format) message: outside conservation. */
  legacy: number;
  /** Messages to or from a machine whose log was not given: outside conservation. */
  unlogged: number;
  /** Matched receive time − send time (s): mean and max, null when none. */
  latency: { mean: number; max: number } | null;
}

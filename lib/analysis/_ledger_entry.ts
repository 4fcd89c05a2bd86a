/**
 * The records of the message ledger: one entry per message in flight, the events passed in
 * (callers may reuse one object per kind), and the counts it returns.
 *
 * @module
 */

/** Entry flag: the SEND was seen. */
export const SENT = 1;
/** Entry flag: a RECEIVE was seen. */
export const RECEIVED = 2;
/** Entry flag: listed in the receiver's END `queued_msgs`. */
export const QUEUED = 4;
/** Entry flag: the sender logged it UNDELIVERED. */
export const UNDELIVERED = 8;
/** Entry flag: the receiver refused it (PROTOCOL_ERROR naming it). */
export const REJECTED = 16;

/** The messages in flight, one index each, as columns (typed arrays: no object per message). */
export interface Entries {
  /** SENT | RECEIVED | QUEUED | UNDELIVERED | REJECTED bits. */
  readonly flags: Uint8Array;
  /** Sender incarnation index (its log holds the SEND). */
  readonly sender: Int32Array;
  /** Recipient machine index. */
  readonly to: Int32Array;
  /** Sender's seq. */
  readonly seq: Float64Array;
  /** SEND new_clock. */
  readonly sendClock: Float64Array;
  /** SEND system_time. */
  readonly sendTime: Float64Array;
  /** SEND line number. */
  readonly sendLine: Int32Array;
  /** msg_clock of the RECEIVE. */
  readonly recvClock: Float64Array;
  /** new_clock of the RECEIVE. */
  readonly recvNew: Float64Array;
  /** system_time of the RECEIVE. */
  readonly recvTime: Float64Array;
  /** Incarnation whose log has the RECEIVE (or the queue, refusal, UNDELIVERED) line. */
  readonly recvInc: Int32Array;
  /** That line's number. */
  readonly recvLine: Int32Array;
}

/**
 * Storage of the messages in flight: an index per message, reused once it is released.
 *
 * @example
 * ```ts
 * import { EntryStore } from "./_ledger_entry.ts";
 * import assert from "node:assert/strict";
 * const store = new EntryStore();
 * const i = store.alloc(0, 1, 7);
 * assert.deepEqual([store.columns.seq[i], store.columns.flags[i]], [7, 0]);
 * store.release(i);
 * assert.equal(store.alloc(2, 3, 9), i);
 * ```
 */
export class EntryStore {
  #columns: Entries;
  #top = 0;
  #free: number[] = [];

  /** `capacity`: initial number of entries (grows by doubling). */
  constructor(capacity = 1024) {
    this.#columns = columns(capacity);
  }

  /** The columns; read them again after {@link alloc} (growing replaces them). */
  get columns(): Entries {
    return this.#columns;
  }

  /** A blank entry for message (sender incarnation, seq) to machine index `to`. */
  alloc(sender: number, to: number, seq: number): number {
    let i = this.#free.pop();
    if (i === undefined) {
      if (this.#top === this.#columns.flags.length) this.#grow();
      i = this.#top++;
    }
    const c = this.#columns;
    c.flags[i] = 0;
    c.sender[i] = sender;
    c.to[i] = to;
    c.seq[i] = seq;
    c.sendLine[i] = c.recvLine[i] = 0;
    c.recvInc[i] = -1;
    return i;
  }

  /** Frees entry `i` for reuse. */
  release(i: number): void {
    this.#free.push(i);
  }

  #grow(): void {
    const old = this.#columns, next = columns(old.flags.length * 2);
    for (const key of Object.keys(old) as (keyof Entries)[]) {
      (next[key] as Float64Array).set(old[key] as Float64Array);
    }
    this.#columns = next;
  }
}

function columns(n: number): Entries {
  return {
    flags: new Uint8Array(n),
    sender: new Int32Array(n),
    to: new Int32Array(n),
    seq: new Float64Array(n),
    sendClock: new Float64Array(n),
    sendTime: new Float64Array(n),
    sendLine: new Int32Array(n),
    recvClock: new Float64Array(n),
    recvNew: new Float64Array(n),
    recvTime: new Float64Array(n),
    recvInc: new Int32Array(n),
    recvLine: new Int32Array(n),
  };
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
  /** RECEIVEs before their SEND by system_time (clock skew): count, largest (s), where. */
  skew: { count: number; max: number; example: string } | null;
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

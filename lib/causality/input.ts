/**
 * The events the causality tracker is fed, as one reusable record (no allocation per event).
 *
 * @module
 */

/** Event kinds of {@link CausalInput}. */
export const CK_START = 0, CK_SEND = 1, CK_RECEIVE = 2, CK_INTERNAL = 3;
/** Event kinds that tick no clock but settle messages. */
export const CK_END = 4, CK_UNDELIVERED = 5;

/**
 * One log event as the tracker needs it: an input record, like an options object. Callers set
 * its scalar fields, {@link clearIds} and {@link push} its ids, and reuse it for every event;
 * the tracker copies what it keeps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CausalInput, CK_SEND } from "./input.ts";
 * const e = new CausalInput();
 * e.kind = CK_SEND;
 * e.push(2); // recipients
 * e.push(3);
 * assert.deepEqual([...e.copy().ids.subarray(0, e.nIds)], [2, 3]);
 * ```
 */
export class CausalInput {
  /** One of the CK_* kinds. */
  kind: number = CK_INTERNAL;
  /** Lamport value after the event (SEND/RECEIVE/INTERNAL). */
  lamport = 0;
  /** system_time (epoch seconds). */
  time = 0;
  /** Line number in the log (for violation messages). */
  line = 0;
  /** SEND/RECEIVE/UNDELIVERED: the sender's sequence number. */
  seq: number = NaN;
  /** RECEIVE: sender machine id (NaN for a bare-integer message). */
  from: number = NaN;
  /** RECEIVE: the sender's session when logged (NaN otherwise). */
  fromSession: number = NaN;
  /** START: this log's session when logged (NaN otherwise). */
  session: number = NaN;
  /**
   * SEND: recipient machine ids (NaN when unknown); UNDELIVERED: the one recipient id;
   * END: the queued messages as (from, seq) pairs. The first {@link nIds} entries count.
   */
  get ids(): Float64Array {
    return this.#ids;
  }

  /** How many entries of {@link ids} are set. */
  get nIds(): number {
    return this.#nIds;
  }

  #ids = new Float64Array(8);
  #nIds = 0;

  /** Appends to {@link ids}. */
  push(id: number): void {
    if (this.#nIds === this.#ids.length) {
      const grown = new Float64Array(this.#ids.length * 2);
      grown.set(this.#ids);
      this.#ids = grown;
    }
    this.#ids[this.#nIds++] = id;
  }

  /** Forgets the ids (keeps their storage). */
  clearIds(): void {
    this.#nIds = 0;
  }

  /** An independent copy. */
  copy(): CausalInput {
    const c = new CausalInput();
    c.kind = this.kind;
    c.lamport = this.lamport;
    c.time = this.time;
    c.line = this.line;
    c.seq = this.seq;
    c.from = this.from;
    c.fromSession = this.fromSession;
    c.session = this.session;
    for (let i = 0; i < this.#nIds; i++) c.push(this.#ids[i]);
    return c;
  }
}

/** A processed clock event, as sinks see it (reused). */
export interface TrackedEvent {
  /** CK_SEND, CK_RECEIVE or CK_INTERNAL. */
  kind: number;
  /** 0-based position among the process's clock events. */
  index: number;
  /** Lamport value. */
  lamport: number;
  /** system_time. */
  time: number;
  /** Line in the log. */
  line: number;
  /** SEND/RECEIVE: seq; NaN otherwise. */
  seq: number;
  /** RECEIVE matched to a SEND: the sending process; -1 otherwise. */
  sender: number;
}

/** Message outcomes of {@link MessageEdge}. */
export const MSG_RECEIVED = 0, MSG_QUEUED = 1, MSG_UNDELIVERED = 2, MSG_LOST = 3;

/** One message, as sinks see it (reused): received, still queued at END, undelivered or lost. */
export interface MessageEdge {
  /** MSG_* outcome. */
  status: number;
  /** Sending process. */
  from: number;
  /** The sender's seq. */
  seq: number;
  /** The SEND's index, Lamport value and time. */
  sendIndex: number;
  /** Lamport value of the SEND. */
  sendLamport: number;
  /** system_time of the SEND. */
  sendTime: number;
  /** Receiving process, or -1 when no analyzed log is the recipient. */
  to: number;
  /** Recipient machine id (NaN when unknown). */
  toId: number;
  /** The RECEIVE's index (-1 when not received). */
  recvIndex: number;
  /** Lamport value of the RECEIVE (NaN when not received). */
  recvLamport: number;
  /** RECEIVE time; for a queued message the recipient's END time; NaN otherwise. */
  recvTime: number;
}

/** Receives the tracker's output as it goes. */
export interface CausalSink {
  /** A clock event of process `p` was processed (in program order per process). */
  event(p: number, e: TrackedEvent): void;
  /** A message got its outcome. */
  message(m: MessageEdge): void;
}

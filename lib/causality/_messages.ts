/**
 * The tracker's messages in flight: one record per SEND (keyed by sender process and seq) with
 * the sender's vector snapshot and one slot per recipient, kept until every recipient received
 * it (or it is settled at the end as queued, undelivered or lost).
 *
 * @module
 */
import type { Snapshot, VectorStore } from "./_vectors.ts";
import {
  type CausalInput,
  type CausalSink,
  type MessageEdge,
  MSG_LOST,
  MSG_QUEUED,
  MSG_RECEIVED,
  MSG_UNDELIVERED,
} from "./input.ts";

const OPEN = 0, RECEIVED = 1, UNDELIVERED = 2, QUEUED = 3;

/** One SEND in flight. */
export interface Msg {
  /** Sending process. */
  sender: number;
  /** Its seq. */
  seq: number;
  /** 0-based index of the SEND among the sender's clock events. */
  index: number;
  /** Lamport value of the SEND. */
  lamport: number;
  /** system_time of the SEND. */
  time: number;
  /** Log line of the SEND. */
  line: number;
  /** The sender's snapshot at the SEND. */
  snap: Snapshot;
  /** Recipient machine ids (NaN when unknown); the first {@link nTo} count. */
  to: Float64Array;
  /** Per recipient: open, received, undelivered (still open) or queued. */
  state: Uint8Array;
  /** Number of recipients. */
  nTo: number;
  /** Recipients neither received nor queued. */
  open: number;
  /** For a long recipient list (a broadcast): recipient id → slot, built when first needed. */
  slotOf: Map<number, number> | null;
}

/**
 * Messages in flight.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Messages } from "./_messages.ts";
 * import { VectorStore } from "./_vectors.ts";
 * import { CausalInput } from "./input.ts";
 * const v = new VectorStore(2, { maxEntries: 100 });
 * const msgs = new Messages(2, [], () => 1);
 * const e = new CausalInput();
 * e.seq = 7;
 * e.push(2);
 * msgs.add(0, e, 1, v.current(0), v);
 * assert.equal(msgs.get(0, 7)?.index, 0);
 * assert.equal(msgs.maxSeq(0), 7);
 * ```
 */
export class Messages {
  #map = new Map<number, Msg>();
  /** Settled records, reused so that steady-state matching allocates nothing. */
  #pool: Msg[] = [];
  #n: number;
  #maxSeq: Float64Array;
  #sinks: CausalSink[];
  #store: VectorStore | null = null;
  #processOf: (id: number) => number;
  #edge: MessageEdge = {
    status: 0,
    from: 0,
    seq: 0,
    sendIndex: 0,
    sendLamport: 0,
    sendTime: 0,
    to: -1,
    toId: NaN,
    recvIndex: -1,
    recvLamport: NaN,
    recvTime: NaN,
  };

  /** `processOf(id)`: the process with machine id `id`, or -1 (none, or several). */
  constructor(n: number, sinks: CausalSink[], processOf: (id: number) => number) {
    this.#n = n;
    this.#maxSeq = new Float64Array(n).fill(-Infinity);
    this.#sinks = sinks;
    this.#processOf = processOf;
  }

  #key(s: number, seq: number): number {
    return Number.isSafeInteger(seq) && Math.abs(seq) < 2 ** 52 / this.#n ? seq * this.#n + s : NaN;
  }

  /** Highest seq sent by process `s` so far. */
  maxSeq(s: number): number {
    return this.#maxSeq[s];
  }

  /** The SEND (s, seq) in flight. */
  get(s: number, seq: number): Msg | undefined {
    return this.#map.get(this.#key(s, seq));
  }

  /** A SEND of `p` (its `own`-th event) carrying `snap`. */
  add(p: number, e: CausalInput, own: number, snap: Snapshot, store: VectorStore): void {
    if (e.seq > this.#maxSeq[p]) this.#maxSeq[p] = e.seq;
    const key = this.#key(p, e.seq);
    const n = e.nIds;
    if (n === 0 || Number.isNaN(key) || this.#map.has(key)) return;
    this.#store = store;
    store.hold(snap);
    const m = this.#pool.pop() ?? {
      sender: 0,
      seq: 0,
      index: 0,
      lamport: 0,
      time: 0,
      line: 0,
      snap,
      to: new Float64Array(4),
      state: new Uint8Array(4),
      nTo: 0,
      open: 0,
      slotOf: null,
    };
    m.sender = p;
    m.seq = e.seq;
    m.index = own - 1;
    m.lamport = e.lamport;
    m.time = e.time;
    m.line = e.line;
    m.snap = snap;
    if (m.to.length < n) (m.to = new Float64Array(n), m.state = new Uint8Array(n));
    for (let k = 0; k < n; k++) (m.to[k] = e.ids[k], m.state[k] = OPEN);
    m.nTo = m.open = n;
    m.slotOf = null;
    this.#map.set(key, m);
  }

  /** Process `p` (machine `id`) received `m` as its event `index`. */
  received(m: Msg, p: number, id: number, index: number, e: CausalInput): void {
    const k = this.#slot(m, id, true);
    if (k >= 0) {
      if (m.state[k] !== QUEUED) m.open--;
      m.state[k] = RECEIVED;
    }
    this.#emit(m, MSG_RECEIVED, p, id, index, e.lamport, e.time);
    if (m.open === 0) this.#drop(m);
  }

  /** END of process `p` (machine `id`): its queued messages, (from, seq) pairs in `e.ids`. */
  queued(p: number, id: number, e: CausalInput, senderOf: (id: number) => number): void {
    for (let i = 0; i + 1 < e.nIds; i += 2) {
      const s = senderOf(e.ids[i]);
      const m = s < 0 ? undefined : this.get(s, e.ids[i + 1]);
      if (m === undefined) continue;
      const k = this.#slot(m, id, false);
      if (k < 0) continue;
      m.state[k] = QUEUED;
      m.open--;
      this.#emit(m, MSG_QUEUED, p, id, -1, NaN, e.time);
      if (m.open === 0) this.#drop(m);
    }
  }

  /** UNDELIVERED logged by sender `p`: seq `e.seq` to machine `e.ids[0]` (NaN when unknown). */
  undelivered(p: number, e: CausalInput): void {
    const m = this.get(p, e.seq);
    if (m === undefined) return;
    const to = e.nIds > 0 ? e.ids[0] : NaN;
    for (let k = 0; k < m.nTo; k++) {
      const same = Number.isNaN(to) ? Number.isNaN(m.to[k]) : m.to[k] === to;
      if (same && m.state[k] === OPEN) return void (m.state[k] = UNDELIVERED);
    }
  }

  /** At the end: what was never received is undelivered (if logged so) or lost. */
  settle(): void {
    for (const m of this.#map.values()) {
      for (let k = 0; k < m.nTo; k++) {
        const st = m.state[k];
        if (st !== OPEN && st !== UNDELIVERED) continue;
        const id = m.to[k], p = Number.isNaN(id) ? -1 : this.#processOf(id);
        this.#emit(m, st === UNDELIVERED ? MSG_UNDELIVERED : MSG_LOST, p, id, -1, NaN, NaN);
      }
      this.#store?.release(m.snap);
    }
    this.#map.clear();
  }

  /** The recipient slot of machine `id` still open (or an unknown one); -1 when none. */
  #slot(m: Msg, id: number, allowQueued: boolean): number {
    if (m.nTo > 8) {
      if (m.slotOf === null) {
        m.slotOf = new Map();
        for (let k = m.nTo - 1; k >= 0; k--) if (!Number.isNaN(m.to[k])) m.slotOf.set(m.to[k], k);
      }
      const k = m.slotOf.get(id);
      const st = k === undefined ? RECEIVED : m.state[k];
      if (k !== undefined && st !== RECEIVED && (st !== QUEUED || allowQueued)) return k;
      if (m.slotOf.size === m.nTo) return -1; // no unknown recipient to fall back on
    }
    let unknown = -1;
    for (let k = 0; k < m.nTo; k++) {
      const st = m.state[k];
      if (st === RECEIVED || (st === QUEUED && !allowQueued)) continue;
      if (m.to[k] === id) return k;
      if (unknown < 0 && Number.isNaN(m.to[k])) unknown = k;
    }
    return unknown;
  }

  #drop(m: Msg): void {
    this.#map.delete(this.#key(m.sender, m.seq));
    this.#store?.release(m.snap);
    if (this.#pool.length < 4096) this.#pool.push(m);
  }

  #emit(
    m: Msg,
    status: number,
    to: number,
    toId: number,
    recvIndex: number,
    recvLamport: number,
    recvTime: number,
  ): void {
    if (this.#sinks.length === 0) return;
    const x = this.#edge;
    x.status = status;
    x.from = m.sender;
    x.seq = m.seq;
    x.sendIndex = m.index;
    x.sendLamport = m.lamport;
    x.sendTime = m.time;
    x.to = to;
    x.toId = toId;
    x.recvIndex = recvIndex;
    x.recvLamport = recvLamport;
    x.recvTime = recvTime;
    for (const s of this.#sinks) s.message(x);
  }
}

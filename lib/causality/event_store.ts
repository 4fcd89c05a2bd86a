/**
 * Keeps the events and messages of a time window for pictures (the space-time diagram, the
 * interactive report), in typed arrays, up to a cap: a {@link CausalSink} of the tracker.
 *
 * @module
 */
import type { CausalSink, MessageEdge, TrackedEvent } from "./input.ts";

/** Options of {@link EventStore}. */
export interface EventStoreOptions {
  /** Run start (epoch seconds): stored times are seconds since it. */
  start: number;
  /** Window start, seconds since the run start (default 0). */
  from?: number;
  /** Window end, seconds since the run start (default: no end). */
  to?: number;
  /** Most events kept; past it the window ends at the last event kept (default 200,000). */
  maxEvents?: number;
}

/** Growable typed columns. */
class Column<T extends Float64Array | Int32Array | Uint8Array> {
  #data: T;
  #make: (n: number) => T;

  constructor(make: (n: number) => T) {
    this.#data = make(256);
    this.#make = make;
  }

  /** The values (replaced when the column grows). */
  get data(): T {
    return this.#data;
  }

  /** Grows the column to hold at least `n` values. */
  ensure(n: number): void {
    if (n <= this.#data.length) return;
    const next = this.#make(Math.max(n, this.#data.length * 2));
    next.set(this.#data as never);
    this.#data = next;
  }
}

function f64(n: number) {
  return new Float64Array(n);
}
function i32(n: number) {
  return new Int32Array(n);
}
function u8(n: number) {
  return new Uint8Array(n);
}

/**
 * Events and messages of one window.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventStore } from "./event_store.ts";
 * const s = new EventStore({ start: 100, from: 0, to: 10 });
 * s.event(0, { kind: 3, index: 0, lamport: 1, time: 101, line: 2, seq: NaN, sender: -1 });
 * s.event(0, { kind: 3, index: 1, lamport: 2, time: 120, line: 3, seq: NaN, sender: -1 }); // outside
 * assert.equal(s.count, 1);
 * assert.equal(s.time(0), 1);
 * ```
 */
export class EventStore implements CausalSink {
  #from: number;
  #to: number;
  #capped = false;
  #count = 0;
  #messages = 0;
  readonly #start: number;
  readonly #max: number;
  #p = new Column(i32);
  #index = new Column(i32);
  #kind = new Column(u8);
  #lamport = new Column(f64);
  #t = new Column(f64);
  #seq = new Column(f64);
  // Messages: status, from, seq, sendIndex, sendL, sendT, to, toId, recvIndex, recvL, recvT;
  // the process numbers, indices and status (integers, -1 for none) in 32 bits: 68 bytes a
  // message instead of 88 (a run of 1000 machines keeps 345,000).
  #m = [i32, i32, f64, i32, f64, f64, i32, f64, i32, f64, f64].map((make) =>
    new Column<Float64Array | Int32Array>(make)
  );

  /** An empty store for the window of `options`. */
  constructor(options: EventStoreOptions) {
    this.#start = options.start;
    this.#from = options.from ?? 0;
    this.#to = options.to ?? Infinity;
    this.#max = options.maxEvents ?? 200_000;
  }

  /** Window start (s since run start). */
  get from(): number {
    return this.#from;
  }

  /** Window end (s since run start); lowered to the last event kept when the cap is reached. */
  get to(): number {
    return this.#to;
  }

  /** Whether the cap cut the window short. */
  get capped(): boolean {
    return this.#capped;
  }

  /** Events kept. */
  get count(): number {
    return this.#count;
  }

  /** Messages kept. */
  get messages(): number {
    return this.#messages;
  }

  /** Keeps a clock event when it falls in the window. */
  event(p: number, e: TrackedEvent): void {
    const t = e.time - this.#start;
    if (t < this.#from || t > this.#to) return;
    if (this.#count >= this.#max) {
      if (!this.#capped) {
        this.#capped = true;
        this.#to = this.#count > 0
          ? Math.max(this.#from, this.#t.data[this.#count - 1])
          : this.#from;
      }
      if (t >= this.#to) return;
    }
    const i = this.#count++;
    if (i >= this.#t.data.length) {
      for (const c of [this.#p, this.#index, this.#kind, this.#lamport, this.#t, this.#seq]) {
        c.ensure(i + 1);
      }
    }
    this.#p.data[i] = p;
    this.#index.data[i] = e.index;
    this.#kind.data[i] = e.kind;
    this.#lamport.data[i] = e.lamport;
    this.#t.data[i] = t;
    this.#seq.data[i] = e.seq;
  }

  /** Keeps a message when its SEND or its RECEIVE (or END) falls in the window. */
  message(m: MessageEdge): void {
    const st = m.sendTime - this.#start, rt = m.recvTime - this.#start;
    const inside = (x: number) => x >= this.#from && x <= this.#to;
    if (!inside(st) && !inside(rt)) return;
    const i = this.#messages++, c = this.#m;
    if (i >= c[0].data.length) { for (const col of c) col.ensure(i + 1); }
    c[0].data[i] = m.status;
    c[1].data[i] = m.from;
    c[2].data[i] = m.seq;
    c[3].data[i] = m.sendIndex;
    c[4].data[i] = m.sendLamport;
    c[5].data[i] = st;
    c[6].data[i] = m.to;
    c[7].data[i] = m.toId;
    c[8].data[i] = m.recvIndex;
    c[9].data[i] = m.recvLamport;
    c[10].data[i] = rt;
  }

  /** Process of event `i`. */
  process(i: number): number {
    return this.#p.data[i];
  }
  /** Index of event `i` among its process's clock events. */
  index(i: number): number {
    return this.#index.data[i];
  }
  /** CK_* kind of event `i`. */
  kind(i: number): number {
    return this.#kind.data[i];
  }
  /** Lamport value of event `i`. */
  lamport(i: number): number {
    return this.#lamport.data[i];
  }
  /** Time of event `i`, seconds since the run start. */
  time(i: number): number {
    return this.#t.data[i];
  }
  /** seq of event `i` (SEND/RECEIVE), NaN otherwise. */
  seq(i: number): number {
    return this.#seq.data[i];
  }

  /** Message `i`: its fields (times in seconds since the run start). */
  messageAt(i: number): MessageEdge {
    const g = (k: number) => this.#m[k].data[i];
    return {
      status: g(0),
      from: g(1),
      seq: g(2),
      sendIndex: g(3),
      sendLamport: g(4),
      sendTime: g(5),
      to: g(6),
      toId: g(7),
      recvIndex: g(8),
      recvLamport: g(9),
      recvTime: g(10),
    };
  }
}

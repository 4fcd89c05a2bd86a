/**
 * Reconstructs happened-before from logs, streaming: program order plus one edge per matched
 * message (sender, session, seq → recipient), as vector clocks, counting exactly how many event
 * pairs are ordered and concurrent without ever comparing two events (an event's causal past on
 * machine j is a prefix of j's events: its vector entry). Events may arrive interleaved in any
 * order that keeps each log's order; a RECEIVE whose SEND has not been seen yet holds back its
 * machine's later events until it has (bounded; see `maxPending`).
 *
 * @module
 */
import { EqualLamportPairs } from "./_equal_lamport.ts";
import { HoldBack } from "./_hold_back.ts";
import { type ExtensionCheck, ExtensionChecker } from "./_extension_check.ts";

export type { ExtensionCheck } from "./_extension_check.ts";
import { Messages, type Msg } from "./_messages.ts";
import { VectorStore } from "./_vectors.ts";
import {
  CausalInput,
  type CausalSink,
  CK_END,
  CK_RECEIVE,
  CK_SEND,
  CK_START,
  CK_UNDELIVERED,
  type TrackedEvent,
} from "./input.ts";
import { type CausalitySummary, causalitySummary, unavailableCausality } from "./summary.ts";

/** One log (process) of the run. */
export interface ProcessInfo {
  /** machine_id of the log. */
  machineId: number;
  /** Name used in violation messages (the log's path). */
  label: string;
}

/** Options of {@link CausalityTracker}. */
export interface TrackerOptions {
  /** Receivers of the processed events and message outcomes. */
  sinks?: CausalSink[];
  /** Most vector entries held at once for messages in flight (default 2^25: 128 MiB). */
  maxEntries?: number;
  /** Most events held back waiting for a SEND (default 200,000). */
  maxPending?: number;
  /** Most vector entries merged in all (default 2·10⁹, about 10 s): the O(machines) work per RECEIVE. */
  maxWork?: number;
}

/** What {@link CausalityTracker.finish} returns. */
export interface TrackerResult {
  /** The summary section. */
  summary: CausalitySummary;
  /** The check, null when causality was not available. */
  check: ExtensionCheck | null;
}

/** Most machines the tracker accepts (its pair sums take n² numbers). */
export const MAX_PROCESSES = 2048;

/**
 * The streaming reconstruction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CausalityTracker } from "./tracker.ts";
 * import { CausalInput, CK_INTERNAL, CK_RECEIVE, CK_SEND } from "./input.ts";
 * const t = new CausalityTracker([{ machineId: 1, label: "a" }, { machineId: 2, label: "b" }]);
 * const e = new CausalInput();
 * Object.assign(e, { kind: CK_SEND, lamport: 1, seq: 1 });
 * e.push(2); // the recipient
 * t.event(0, e);
 * e.clearIds();
 * Object.assign(e, { kind: CK_INTERNAL, lamport: 1 });
 * t.event(1, e);
 * Object.assign(e, { kind: CK_RECEIVE, lamport: 2, from: 1, seq: 1 });
 * t.event(1, e);
 * const { summary, check } = t.finish();
 * assert.deepEqual([summary.pairs.ordered, summary.pairs.concurrent], [2, 1]);
 * assert.deepEqual([check!.checked, check!.failed], [2, 0]);
 * ```
 */
export class CausalityTracker {
  #procs: ProcessInfo[];
  #n: number;
  #v: VectorStore | null = null;
  #msgs: Messages;
  #eq = new EqualLamportPairs();
  #sinks: CausalSink[];
  #count: Float64Array;
  #lastL: Float64Array;
  #closed: Uint8Array;
  #session: Float64Array;
  #byId = new Map<number, number[]>();
  #hold: HoldBack;
  #inputDone = false;
  #seen = 0;
  #check = new ExtensionChecker();
  #edges = 0;
  #without = { legacy: 0, from_unlogged: 0, no_send: 0, ambiguous_sender: 0, gave_up: 0 };
  #off: string | null = null;
  #maxWork: number;
  #tracked: TrackedEvent = {
    kind: 0,
    index: 0,
    lamport: 0,
    time: 0,
    line: 0,
    seq: NaN,
    sender: -1,
  };
  #sender = -1;

  /** A tracker for these logs, one process each, in the order events are fed with. */
  constructor(processes: ProcessInfo[], options: TrackerOptions = {}) {
    this.#procs = processes;
    const n = this.#n = processes.length;
    this.#sinks = options.sinks ?? [];
    this.#count = new Float64Array(n);
    this.#lastL = new Float64Array(n);
    this.#closed = new Uint8Array(n);
    this.#session = new Float64Array(n).fill(NaN);
    this.#hold = new HoldBack(n, {
      apply: (p, e) => this.#off !== null || this.#apply(p, e),
      maxPending: options.maxPending ?? 200_000,
    });
    processes.forEach((p, i) => {
      const list = this.#byId.get(p.machineId);
      if (list) list.push(i);
      else this.#byId.set(p.machineId, [i]);
    });
    this.#msgs = new Messages(n, this.#sinks, (id) => this.#uniqueSender(id));
    if (n > MAX_PROCESSES) {
      this.#off =
        `${n} machines is more than ${MAX_PROCESSES}: the exact per-pair counts need machines² numbers (run it on part of the logs)`;
    } else this.#v = new VectorStore(n, { maxEntries: options.maxEntries ?? 2 ** 25 });
    this.#maxWork = options.maxWork ?? 2e9;
  }

  /** Feeds one event of process `p` (each process's events in its log's order). */
  event(p: number, e: CausalInput): void {
    if (this.#off === null) this.#hold.feed(p, e);
  }

  /** Entry `j` of the vector clock of process `p`'s latest event. */
  entry(p: number, j: number): number {
    return j === p ? this.#count[p] : this.#v!.current(p).vec[j];
  }

  /** Settles what is held back and returns the figures. */
  finish(): TrackerResult {
    if (this.#off !== null) return { summary: unavailableCausality(this.#off), check: null };
    this.#inputDone = true;
    const hold = this.#hold;
    for (;;) {
      const before = hold.held;
      hold.retryAll();
      if (hold.held === 0 || this.#off !== null) break;
      if (hold.held === before) hold.relieve(); // a cycle of waits: logs out of any order
    }
    if (this.#off !== null) return { summary: unavailableCausality(this.#off), check: null };
    this.#msgs.settle();
    const v = this.#v!;
    const summary = causalitySummary({
      machineIds: this.#procs.map((p) => p.machineId),
      events: [...this.#count],
      pairSum: (i, j) => v.pairSum(i, j),
      equalLamport: this.#eq.finish(),
      strict: this.#check.strict && this.#eq.invalid === 0,
      messageEdges: this.#edges,
      withoutEdge: this.#without,
    });
    return { summary, check: this.#check.result };
  }

  /** Applies one event; false when it is a RECEIVE whose SEND must be waited for. */
  #apply(p: number, e: CausalInput): boolean {
    switch (e.kind) {
      case CK_START:
        this.#session[p] = e.session;
        this.#hold.wake(p);
        return true;
      case CK_SEND:
        this.#tick(p, e);
        this.#msgs.add(p, e, this.#count[p], this.#v!.current(p), this.#v!);
        this.#hold.wake(p);
        return true;
      case CK_RECEIVE:
        return this.#receive(p, e);
      case CK_END:
        this.#msgs.queued(p, this.#procs[p].machineId, e, (id) => this.#uniqueSender(id));
        this.#closed[p] = 1;
        this.#hold.wake(p);
        return true;
      case CK_UNDELIVERED:
        this.#msgs.undelivered(p, e);
        return true;
      default:
        this.#tick(p, e);
        return true;
    }
  }

  #receive(p: number, e: CausalInput): boolean {
    let s = -1;
    if (Number.isNaN(e.from)) this.#without.legacy++;
    else {
      s = this.#senderOf(e.from, e.fromSession);
      if (s === -2) {
        if (!this.#hold.force) {
          return this.#hold.wait(p, this.#byId.get(e.from)!.find((i) => !this.#started(i))!);
        }
        this.#without.gave_up++;
      } else if (s === -1) this.#without.from_unlogged++;
      else if (s === -3) this.#without.ambiguous_sender++;
    }
    if (s < 0) return (this.#tick(p, e), true);
    const m = this.#msgs.get(s, e.seq);
    if (m === undefined) {
      if (this.#hold.force) this.#without.gave_up++;
      else if (
        !this.#closed[s] && this.#msgs.maxSeq(s) < e.seq &&
        !(this.#inputDone && this.#hold.idle(s))
      ) return this.#hold.wait(p, s);
      else this.#without.no_send++;
      return (this.#tick(p, e), true);
    }
    try {
      this.#v!.merge(p, m.snap, s, m.index + 1);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      this.#off = err.message;
      return true;
    }
    if (this.#v!.work > this.#maxWork) {
      this.#off = `exact vector clocks for ${this.#n} machines take more than ${
        this.#maxWork.toExponential(0)
      } entry updates (about 10 s); stopped after ${this.#edges} messages (analyze fewer machines, or a part of the run)`;
      return true;
    }
    this.#sender = s;
    this.#tick(p, e);
    this.#sender = -1;
    this.#edge(m, p, e);
    this.#msgs.received(m, p, this.#procs[p].machineId, this.#count[p] - 1, e);
    return true;
  }

  #edge(m: Msg, p: number, e: CausalInput): void {
    this.#edges++;
    const a = this.#procs[m.sender], b = this.#procs[p];
    this.#check.messageEdge(
      { l: m.lamport, id: a.machineId },
      { l: e.lamport, id: b.machineId },
      () =>
        `${b.label}:${e.line}: RECEIVE (Lamport ${e.lamport}) of (from ${a.machineId}, seq ${m.seq}) is not after its SEND (Lamport ${m.lamport}) at ${a.label}:${m.line} in the Lamport order`,
    );
  }

  /** A clock event of `p`: program-order edge, counts, sinks. */
  #tick(p: number, e: CausalInput): void {
    const index = this.#count[p]++;
    if (index > 0) {
      this.#check.programEdge(this.#lastL[p], e.lamport, () => `${this.#procs[p].label}:${e.line}`);
    }
    this.#lastL[p] = e.lamport;
    this.#v!.tick(p);
    this.#eq.add(e.lamport);
    if ((++this.#seen & 1023) === 0) this.#settleEqual();
    if (this.#sinks.length === 0) return;
    const t = this.#tracked;
    t.kind = e.kind;
    t.index = index;
    t.lamport = e.lamport;
    t.time = e.time;
    t.line = e.line;
    t.seq = e.kind === CK_SEND || e.kind === CK_RECEIVE ? e.seq : NaN;
    t.sender = this.#sender;
    for (const s of this.#sinks) s.event(p, t);
  }

  /** Frees the equal-Lamport counts no running process can reach any more. */
  #settleEqual(): void {
    let floor = Infinity;
    for (let p = 0; p < this.#n; p++) {
      if (!this.#closed[p] && this.#lastL[p] + 1 < floor) floor = this.#lastL[p] + 1;
    }
    // A held-back process resumes from its last applied value: it is covered by lastL.
    if (floor !== Infinity) this.#eq.settle(floor);
  }

  /** Sender process of (id, session): ≥ 0, or -1 no log, -2 wait for STARTUP, -3 ambiguous. */
  #senderOf(id: number, session: number): number {
    const list = this.#byId.get(id);
    if (list === undefined) return -1;
    if (Number.isNaN(session)) return list.length === 1 ? list[0] : -3;
    for (const i of list) if (this.#session[i] === session) return i;
    if (list.length === 1 && Number.isNaN(this.#session[list[0]]) && this.#started(list[0])) {
      return list[0]; // a log without sessions: match by id alone
    }
    return list.some((i) => !this.#started(i)) && !this.#inputDone ? -2 : -1;
  }

  #uniqueSender(id: number): number {
    const list = this.#byId.get(id);
    return list !== undefined && list.length === 1 ? list[0] : -1;
  }

  #started(p: number): boolean {
    return !Number.isNaN(this.#session[p]) || this.#count[p] > 0 || this.#closed[p] === 1;
  }
}

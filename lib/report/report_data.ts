/**
 * The data the interactive report's page script reads (inlined as JSON): events per machine
 * (time, Lamport value, kind) and messages (ends, outcome, seq), from the report's event store.
 *
 * @module
 */
import type { EventStore } from "../causality/event_store.ts";
import type { ProcessRow } from "./process_rows.ts";

/** Messages, one entry per message in each array. */
export interface ReportMessages {
  /** Sending process. */
  s: number[];
  /** Index of the SEND among the sender's events. */
  si: number[];
  /** Receiving process (-1 when unknown). */
  r: number[];
  /** Index of the RECEIVE (-1 when not received). */
  ri: number[];
  /** Outcome: 0 received, 1 queued at END, 2 undelivered, 3 lost. */
  st: number[];
  /** The sender's seq. */
  seq: number[];
  /** For a queued message, the recipient's END time (s); else null. */
  rt: (number | null)[];
}

/** Everything the page script needs. */
export interface ReportData {
  /** Machine id, clock rate and name per process (log), in order. */
  machines: ProcessRow[];
  /** Length of the run, seconds. */
  duration: number;
  /** Up to when events are included (s since the start), and whether the cap cut the run. */
  shownTo: number;
  /** Whether the event cap cut the run short. */
  capped: boolean;
  /** Per process: event times (s since the start, µs precision). */
  t: number[][];
  /** Per process: Lamport values. */
  l: number[][];
  /** Per process: kinds (1 SEND, 2 RECEIVE, 3 INTERNAL). */
  k: number[][];
  /** The messages whose ends are included. */
  msg: ReportMessages;
}

/**
 * Builds the page data from the report's store (`machines` in process order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventStore } from "../causality/event_store.ts";
 * import { reportData } from "./report_data.ts";
 * const store = new EventStore({ start: 100 });
 * store.event(0, { kind: 3, index: 0, lamport: 1, time: 100.25, line: 2, seq: NaN, sender: -1 });
 * const d = reportData(store, { machines: [{ id: 1, rate: 1, name: "machine 1" }], duration: 60 });
 * assert.deepEqual([d.t, d.l, d.k], [[[0.25]], [[1]], [[3]]]);
 * ```
 */
export function reportData(
  store: EventStore,
  run: { machines: ProcessRow[]; duration: number },
): ReportData {
  const n = run.machines.length;
  const t: number[][] = [], l: number[][] = [], k: number[][] = [];
  for (let p = 0; p < n; p++) (t.push([]), l.push([]), k.push([]));
  for (let i = 0; i < store.count; i++) {
    const p = store.process(i);
    if (store.index(i) !== t[p].length) continue; // a gap (cannot happen from the start)
    t[p].push(Math.round(store.time(i) * 1e6) / 1e6);
    l[p].push(store.lamport(i));
    k[p].push(store.kind(i));
  }
  const msg: ReportMessages = { s: [], si: [], r: [], ri: [], st: [], seq: [], rt: [] };
  for (let i = 0; i < store.messages; i++) {
    const m = store.messageAt(i);
    if (m.from < 0 || m.sendIndex >= t[m.from].length) continue;
    if (m.status === 0 && (m.to < 0 || m.recvIndex >= t[m.to].length)) continue;
    msg.s.push(m.from);
    msg.si.push(m.sendIndex);
    msg.r.push(m.to);
    msg.ri.push(m.recvIndex);
    msg.st.push(m.status);
    msg.seq.push(m.seq);
    msg.rt.push(m.status === 1 ? Math.round(m.recvTime * 1e6) / 1e6 : null);
  }
  return {
    machines: run.machines,
    duration: run.duration,
    shownTo: store.capped ? store.to : run.duration,
    capped: store.capped,
    t,
    l,
    k,
    msg,
  };
}

/**
 * Happened-before of a run held in memory: every SEND, RECEIVE and INTERNAL event with its
 * vector clock, from the parsed logs (one array of events per machine). The analyzer streams the
 * same reconstruction over files (`CausalityTracker`); this is the small-run API.
 *
 * @module
 */
import type {
  InternalEvent,
  LogEvent,
  ReceiveEvent,
  SendEvent,
  StartupEvent,
} from "../core/log_schema.ts";
import {
  CausalInput,
  CK_END,
  CK_INTERNAL,
  CK_RECEIVE,
  CK_SEND,
  CK_START,
  CK_UNDELIVERED,
} from "./input.ts";
import { CausalityTracker, type ExtensionCheck } from "./tracker.ts";
import type { CausalitySummary } from "./summary.ts";
import { VectorClock } from "./vector_clock.ts";

/** One clock event with its place in happened-before. */
export interface CausalEvent {
  /** Index of its log in the input. */
  log: number;
  /** 0-based position among its log's SEND/RECEIVE/INTERNAL events. */
  index: number;
  /** The event as logged. */
  event: SendEvent | ReceiveEvent | InternalEvent;
  /** Its Lamport value (new_clock). */
  lamport: number;
  /** Its vector clock: per machine id, how many of that machine's events are in its past. */
  clock: VectorClock;
}

/** What {@link reconstructVectorClocks} returns. */
export interface Reconstruction {
  /** Per log, its clock events in order. */
  events: CausalEvent[][];
  /** The exact pair counts (as in the analyzer's `causality` section). */
  summary: CausalitySummary;
  /** Lamport order vs happened-before, per edge; null when not available. */
  check: ExtensionCheck | null;
}

/**
 * Rebuilds the vector clock of every SEND, RECEIVE and INTERNAL event from program order and
 * the matched messages (sender, seq → recipient; per session when the logs carry sessions).
 * Each inner array is one machine's log in order, starting with its STARTUP; the logs need
 * message ids (our schema).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reconstructVectorClocks } from "./reconstruct.ts";
 * import type { StartupEvent } from "../core/log_schema.ts";
 * const start = (id: number): StartupEvent => ({
 *   event: "STARTUP", system_time: 0, machine_id: id, clock_rate: 1, port: 5000 + id,
 *   peers: [], seed: 1, die_sides: 10, session: id,
 * });
 * const { events, summary } = reconstructVectorClocks([
 *   [start(1), {
 *     event: "SEND", system_time: 1, machine_id: 1, old_clock: 0, new_clock: 1,
 *     recipients: [["127.0.0.1", 5002]], to: [2], seq: 1,
 *   }, { event: "INTERNAL", system_time: 3, machine_id: 1, old_clock: 1, new_clock: 2 }],
 *   [start(2), { event: "INTERNAL", system_time: 1, machine_id: 2, old_clock: 0, new_clock: 1 }, {
 *     event: "RECEIVE", system_time: 2, machine_id: 2, old_clock: 1, new_clock: 2, queue_len: 0,
 *     from: 1, from_session: 1, seq: 1, msg_clock: 1, arrival_time: 1.5,
 *   }],
 * ]);
 * const [[send, later], [internal, receive]] = events;
 * assert.deepEqual(receive.clock.toJSON(), { "1": 1, "2": 2 });
 * assert.equal(send.clock.compare(receive.clock), "before");
 * assert.equal(send.clock.compare(internal.clock), "concurrent");
 * assert.equal(later.clock.compare(receive.clock), "concurrent");
 * // 6 pairs; 4 have different Lamport values, and of those only (internal, later) is concurrent.
 * assert.equal(summary.lamport_ambiguity_rate, 1 / 4);
 * ```
 */
export function reconstructVectorClocks(
  logs: LogEvent[][],
  options: { maxPending?: number } = {},
): Reconstruction {
  const ids = logs.map((log, i) => {
    const first = log[0];
    if (first === undefined || first.event !== "STARTUP") {
      throw new RangeError(
        `Cannot reconstruct vector clocks as log ${i} must start with STARTUP: current value is ${
          first?.event ?? "an empty log"
        }`,
      );
    }
    return first.machine_id;
  });
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) {
      throw new RangeError(
        `Cannot reconstruct vector clocks as machine_id ${id} is given twice: want one log per machine`,
      );
    }
    seen.add(id);
  }
  const events: CausalEvent[][] = logs.map(() => []);
  const clockEvents = logs.map((log) =>
    log.filter((e): e is SendEvent | ReceiveEvent | InternalEvent =>
      e.event === "SEND" || e.event === "RECEIVE" || e.event === "INTERNAL"
    )
  );
  const tracker: CausalityTracker = new CausalityTracker(
    ids.map((machineId, i) => ({ machineId, label: `log ${i}` })),
    {
      maxPending: options.maxPending,
      sinks: [{
        event(p, e) {
          const clock = new VectorClock(ids.map((id, j) => [id, tracker.entry(p, j)] as const));
          const event = clockEvents[p][e.index];
          events[p].push({ log: p, index: e.index, event, lamport: e.lamport, clock });
        },
        message() {},
      }],
    },
  );
  const input = new CausalInput();
  const pos = logs.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < logs.length; i++) {
      if (pos[i] < logs[i].length) {
        if (best < 0 || logs[i][pos[i]].system_time < logs[best][pos[best]].system_time) best = i;
      }
    }
    if (best < 0) break;
    const e = logs[best][pos[best]++];
    if (toInput(e, input)) tracker.event(best, input);
  }
  const { summary, check } = tracker.finish();
  return { events, summary, check };
}

/** Fills `out` from a log event; false for events that play no part. */
function toInput(e: LogEvent, out: CausalInput): boolean {
  out.clearIds();
  out.time = e.system_time;
  out.seq =
    out.from =
    out.fromSession =
    out.session =
      NaN;
  switch (e.event) {
    case "STARTUP":
      out.kind = CK_START;
      out.session = (e as StartupEvent & { session?: number }).session ?? NaN;
      return true;
    case "SEND":
      out.kind = CK_SEND;
      out.lamport = e.new_clock;
      out.seq = e.seq;
      for (const to of e.to) out.push(to ?? NaN);
      return true;
    case "RECEIVE":
      out.kind = CK_RECEIVE;
      out.lamport = e.new_clock;
      out.from = e.from ?? NaN;
      out.seq = e.seq ?? NaN;
      out.fromSession = (e as ReceiveEvent & { from_session?: number }).from_session ?? NaN;
      return true;
    case "INTERNAL":
      out.kind = CK_INTERNAL;
      out.lamport = e.new_clock;
      return true;
    case "END":
      out.kind = CK_END;
      for (const q of e.queued_msgs ?? []) (out.push(q.from ?? NaN), out.push(q.seq ?? NaN));
      return true;
    case "UNDELIVERED":
      out.kind = CK_UNDELIVERED;
      out.seq = e.seq;
      out.push(e.to ?? NaN);
      return true;
    default:
      return false;
  }
}

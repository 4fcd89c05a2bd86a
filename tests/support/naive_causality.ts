/**
 * Test support: happened-before the slow, obvious way — the graph of program-order and message
 * edges, every event's causal past by a graph search, every pair compared. Independent of
 * lib/causality, so the streaming tracker is tested against it rather than against itself.
 *
 * @module
 */
import type { LogEvent } from "../../lib/core/log_schema.ts";

/** One clock event of the naive model. */
export interface NaiveEvent {
  machine: number;
  index: number;
  lamport: number;
  type: string;
  /** Events in the causal past, the event itself excluded, as "machine/index" keys. */
  past: Set<string>;
}

/** Every count the analyzer reports, computed by brute force. */
export interface NaiveCounts {
  events: NaiveEvent[];
  total: number;
  ordered: number;
  concurrent: number;
  equalLamport: number;
  lamportLess: number;
  lamportLessConcurrent: number;
  /** "a-b" (a < b) → concurrent pairs. */
  perPair: Map<string, number>;
  messageEdges: number;
}

const key = (m: number, i: number) => `${m}/${i}`;

/** Builds the graph from parsed logs (our schema) and counts everything pair by pair. */
export function naiveCausality(logs: LogEvent[][]): NaiveCounts {
  const events: NaiveEvent[] = [];
  const byKey = new Map<string, NaiveEvent>();
  const parents = new Map<string, string[]>();
  const sends = new Map<string, { key: string; to: (number | null)[] }>(); // "from/seq"
  for (const log of logs) {
    let index = 0;
    for (const e of log) {
      if (e.event !== "SEND" && e.event !== "RECEIVE" && e.event !== "INTERNAL") continue;
      const ev: NaiveEvent = {
        machine: e.machine_id,
        index,
        lamport: e.new_clock,
        type: e.event,
        past: new Set(),
      };
      const k = key(e.machine_id, index);
      events.push(ev);
      byKey.set(k, ev);
      parents.set(k, index > 0 ? [key(e.machine_id, index - 1)] : []);
      if (e.event === "SEND") sends.set(`${e.machine_id}/${e.seq}`, { key: k, to: e.to });
      index++;
    }
  }
  let messageEdges = 0;
  for (const log of logs) {
    let index = 0;
    for (const e of log) {
      if (e.event !== "SEND" && e.event !== "RECEIVE" && e.event !== "INTERNAL") continue;
      if (e.event === "RECEIVE" && e.from !== null) {
        const s = sends.get(`${e.from}/${e.seq}`);
        if (s && (s.to.includes(e.machine_id) || s.to.includes(null))) {
          parents.get(key(e.machine_id, index))!.push(s.key);
          messageEdges++;
        }
      }
      index++;
    }
  }
  for (const ev of events) {
    const stack = [...parents.get(key(ev.machine, ev.index))!];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (ev.past.has(k)) continue;
      ev.past.add(k);
      stack.push(...parents.get(k)!);
    }
  }
  let ordered = 0, equalLamport = 0, lamportLessConcurrent = 0;
  const perPair = new Map<string, number>();
  for (let i = 0; i < events.length; i++) {
    for (let j = i + 1; j < events.length; j++) {
      const a = events[i], b = events[j];
      const hb = b.past.has(key(a.machine, a.index)) || a.past.has(key(b.machine, b.index));
      if (hb) ordered++;
      if (a.lamport === b.lamport) equalLamport++;
      else if (!hb) lamportLessConcurrent++;
      if (!hb && a.machine !== b.machine) {
        const pk = `${Math.min(a.machine, b.machine)}-${Math.max(a.machine, b.machine)}`;
        perPair.set(pk, (perPair.get(pk) ?? 0) + 1);
      }
    }
  }
  const total = events.length * (events.length - 1) / 2;
  return {
    events,
    total,
    ordered,
    concurrent: total - ordered,
    equalLamport,
    lamportLess: total - equalLamport,
    lamportLessConcurrent,
    perPair,
    messageEdges,
  };
}

/**
 * The `causality` section of the analysis summary (markdown and `analysis_summary.json`), and
 * its computation from the tracker's exact counts. See docs/causality.md.
 *
 * @module
 */

/** How often one machine's events are concurrent with another's. */
export interface MachinePairConcurrency {
  /** The two machine ids (a < b, or the same id for two incarnations). */
  machines: [number, number];
  /** Event pairs (one event on each): events(a) × events(b). */
  pairs: number;
  /** Of them, pairs ordered by neither a → b nor b → a. */
  concurrent: number;
  /** concurrent / pairs (null without pairs). */
  rate: number | null;
}

/** Receives that add no message edge to happened-before, by cause. */
export interface ReceivesWithoutEdge {
  /** Bare-integer (original format) messages: no sender id. */
  legacy: number;
  /** From a machine (or incarnation) whose log is not analyzed. */
  from_unlogged: number;
  /** No SEND matches (sender, seq) (an orphan or a duplicate received after its match). */
  no_send: number;
  /** The sender id names several incarnations and the message names no session. */
  ambiguous_sender: number;
  /** Waited for their SEND past the buffer limit (logs far out of time order). */
  gave_up: number;
}

/** The exact happened-before figures of a run. */
export interface CausalitySummary {
  /** False when the logs cannot give happened-before (then see `reason`). */
  available: boolean;
  /** Why it is not available; null when it is. */
  reason: string | null;
  /** Events: SEND, RECEIVE and INTERNAL (the events that tick the Lamport clock). */
  events: number;
  /** Edges of happened-before: consecutive events of a machine, and matched messages. */
  edges: { program_order: number; messages: number };
  /** Unordered pairs of distinct events. */
  pairs: {
    /** events × (events − 1) / 2. */
    total: number;
    /** a → b or b → a. */
    ordered: number;
    /** Neither. */
    concurrent: number;
    /** L(a) = L(b) (all concurrent when the clock condition holds). */
    equal_lamport: number;
    /** L(a) ≠ L(b): the pairs that Lamport clocks put in an order. */
    lamport_less: number;
    /** Of those, concurrent ones: the order Lamport clocks give them is not causal. */
    lamport_less_concurrent: number;
  };
  /** lamport_less_concurrent / lamport_less; null when not computable (see the note). */
  lamport_ambiguity_rate: number | null;
  /** Why the rate is null, or null. */
  ambiguity_note: string | null;
  /** Concurrency per pair of machines (all pairs, or the extremes: see `machine_pairs_listed`). */
  machine_pairs: MachinePairConcurrency[];
  /** "all", or "extremes" (the 5 most and 5 least concurrent) beyond 16 machines. */
  machine_pairs_listed: "all" | "extremes";
  /** Min, median and max of the per-pair rates (null with fewer than 2 machines). */
  machine_pair_rate: { min: number; median: number; max: number } | null;
  /** Receives that add no edge (their causal link is not in the logs). */
  receives_without_edge: ReceivesWithoutEdge;
  /** What limits these figures, in words (empty when nothing does). */
  notes: string[];
}

/** What a tracker counted, as {@link causalitySummary} needs it. */
export interface CausalityCounts {
  /** Machine id of each process (log). */
  machineIds: number[];
  /** Clock events per process. */
  events: number[];
  /** `Σ_{a on i} V(a)[j]`. */
  pairSum: (i: number, j: number) => number;
  /** Pairs with equal Lamport values. */
  equalLamport: number;
  /** Whether every edge raised the Lamport clock strictly (and no value fell below the window). */
  strict: boolean;
  /** Matched message edges. */
  messageEdges: number;
  /** Receives without an edge. */
  withoutEdge: ReceivesWithoutEdge;
}

const LISTED_ALL = 16;

/**
 * The summary section from exact counts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { causalitySummary } from "./summary.ts";
 * // Two machines, one event each, the first sent a message the second received.
 * const s = causalitySummary({
 *   machineIds: [1, 2], events: [1, 1], pairSum: (i, j) => (i === 1 && j === 0 ? 1 : 0),
 *   equalLamport: 0, strict: true, messageEdges: 1,
 *   withoutEdge: { legacy: 0, from_unlogged: 0, no_send: 0, ambiguous_sender: 0, gave_up: 0 },
 * });
 * assert.deepEqual([s.pairs.total, s.pairs.ordered, s.pairs.concurrent], [1, 1, 0]);
 * assert.equal(s.lamport_ambiguity_rate, 0);
 * ```
 */
export function causalitySummary(c: CausalityCounts): CausalitySummary {
  const n = c.events.length;
  const events = c.events.reduce((a, b) => a + b, 0);
  let ordered = 0, programEdges = 0;
  for (let i = 0; i < n; i++) {
    ordered += c.events[i] * (c.events[i] - 1) / 2;
    programEdges += Math.max(0, c.events[i] - 1);
  }
  // Per pair: concurrent count and rate in typed arrays (n² / 2 of them for n machines);
  // objects only for the pairs listed.
  const m = n * (n - 1) / 2, conc = new Float64Array(m), rates = new Float64Array(m).fill(NaN);
  const pairOf = (k: number): MachinePairConcurrency => {
    const [i, j] = unpair(k, n), pairs = c.events[i] * c.events[j];
    const [a, b] = c.machineIds[i] <= c.machineIds[j] ? [i, j] : [j, i];
    return {
      machines: [c.machineIds[a], c.machineIds[b]],
      pairs,
      concurrent: conc[k],
      rate: pairs > 0 ? conc[k] / pairs : null,
    };
  };
  for (let i = 0, k = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      const between = c.pairSum(i, j) + c.pairSum(j, i);
      ordered += between;
      const pairs = c.events[i] * c.events[j];
      conc[k] = pairs - between;
      if (pairs > 0) rates[k] = conc[k] / pairs;
    }
  }
  const total = events * (events - 1) / 2;
  const concurrent = total - ordered;
  const lamportLess = total - c.equalLamport;
  const lamportLessConcurrent = concurrent - c.equalLamport;
  let rate: number | null = null, note: string | null = null;
  if (!c.strict) {
    note =
      "not computed: the clock condition failed on some happened-before edge (see the checks), so pairs with equal Lamport values may be ordered";
  } else if (lamportLess === 0) note = "no pair of events has different Lamport values";
  else rate = lamportLessConcurrent / lamportLess;
  const known = [...rates.keys()].filter((k) => !Number.isNaN(rates[k]));
  const byRate = known.sort((x, y) => rates[y] - rates[x] || x - y);
  const sorted = byRate.map((k) => rates[k]).reverse();
  const w = c.withoutEdge;
  const missing = w.legacy + w.from_unlogged + w.no_send + w.ambiguous_sender + w.gave_up;
  const notes: string[] = [];
  if (missing > 0) {
    notes.push(
      `${missing} receive(s) add no message edge (their SEND is not in these logs): events linked only through them count as concurrent, so "concurrent" is an upper bound`,
    );
  }
  return {
    available: true,
    reason: null,
    events,
    edges: { program_order: programEdges, messages: c.messageEdges },
    pairs: {
      total,
      ordered,
      concurrent,
      equal_lamport: c.equalLamport,
      lamport_less: lamportLess,
      lamport_less_concurrent: lamportLessConcurrent,
    },
    lamport_ambiguity_rate: rate,
    ambiguity_note: note,
    machine_pairs: n <= LISTED_ALL
      ? Array.from({ length: m }, (_, k) => pairOf(k))
      : [...byRate.slice(0, 5), ...byRate.slice(-5)].map(pairOf),
    machine_pairs_listed: n <= LISTED_ALL ? "all" : "extremes",
    machine_pair_rate: sorted.length === 0 ? null : {
      min: sorted[0],
      median: sorted.length % 2
        ? sorted[(sorted.length - 1) / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
      max: sorted[sorted.length - 1],
    },
    receives_without_edge: { ...w },
    notes,
  };
}

/** Machine indices (i < j) of pair number `k` in the order (0,1), (0,2), …, (1,2), …. */
function unpair(k: number, n: number): [number, number] {
  let i = 0, row = n - 1;
  while (k >= row) (k -= row, i++, row--);
  return [i, i + 1 + k];
}

/**
 * The section for logs that cannot give happened-before.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unavailableCausality } from "./summary.ts";
 * assert.equal(unavailableCausality("no message ids").available, false);
 * ```
 */
export function unavailableCausality(reason: string): CausalitySummary {
  return {
    available: false,
    reason,
    events: 0,
    edges: { program_order: 0, messages: 0 },
    pairs: {
      total: 0,
      ordered: 0,
      concurrent: 0,
      equal_lamport: 0,
      lamport_less: 0,
      lamport_less_concurrent: 0,
    },
    lamport_ambiguity_rate: null,
    ambiguity_note: null,
    machine_pairs: [],
    machine_pairs_listed: "all",
    machine_pair_rate: null,
    receives_without_edge: {
      legacy: 0,
      from_unlogged: 0,
      no_send: 0,
      ambiguous_sender: 0,
      gave_up: 0,
    },
    notes: [],
  };
}

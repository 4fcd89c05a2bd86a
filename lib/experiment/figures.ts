/**
 * One trial's figures, read from the analyzer's own summary of its logs, next to the
 * model's predictions for the trial's clock rates.
 *
 * @module
 */
import type { AnalysisSummary } from "../analysis/summary_data.ts";
import { predictCluster } from "./model.ts";

/** The metrics every trial reports, in report order. */
export const METRICS = [
  { id: "final_drift", label: "final drift", unit: "clock units" },
  { id: "max_drift", label: "max drift", unit: "clock units" },
  { id: "mean_drift", label: "time-weighted mean drift", unit: "clock units" },
  { id: "mean_receive_jump", label: "mean RECEIVE jump", unit: "clock units" },
  { id: "max_receive_jump", label: "max RECEIVE jump", unit: "clock units" },
  { id: "max_queue_slowest", label: "max queue, slowest machine", unit: "messages" },
  { id: "max_queue_middle", label: "max queue, middle machine", unit: "messages" },
  { id: "max_queue_fastest", label: "max queue, fastest machine", unit: "messages" },
  { id: "sent", label: "messages sent", unit: "messages" },
  { id: "received", label: "messages received", unit: "messages" },
  { id: "queued_at_end", label: "messages queued at END", unit: "messages" },
  { id: "drift_growth", label: "drift growth, fastest − slowest", unit: "units/s" },
  { id: "predicted_drift_growth", label: "drift growth predicted", unit: "units/s" },
] as const;

/** Id of a metric. */
export type MetricId = typeof METRICS[number]["id"];

/** A machine's place by clock rate. */
export type Rank = "slowest" | "middle" | "fastest";

/** One machine of a trial: measured and predicted. */
export interface MachineFigures {
  /** machine_id. */
  id: number;
  /** Its rank by rate (ties by id); null for a machine that is none of the three. */
  rank: Rank | null;
  /** Clock rate (ticks/s). */
  rate: number;
  /** Final Lamport clock. */
  final_clock: number;
  /** SEND + RECEIVE + INTERNAL events. */
  ticks: number;
  /** RECEIVE events. */
  receives: number;
  /** Largest queue length seen at a RECEIVE. */
  max_queue_len: number;
  /** Messages still queued at END. */
  queued_at_end: number;
  /** Mean RECEIVE jump; null without RECEIVE. */
  mean_receive_jump: number | null;
  /** Measured: (RECEIVE + queued at END) / duration (messages/s). */
  arrival_rate: number;
  /** Measured: RECEIVE / ticks. */
  busy: number;
  /** Measured: queued at END / duration (messages/s). */
  queue_growth: number;
  /** Measured: final clock / duration (units/s). */
  clock_growth: number;
  /** What the model predicts for it. */
  predicted: {
    arrival_rate: number;
    utilisation: number;
    busy: number;
    unbounded: boolean;
    queue_growth: number;
    clock_growth: number;
  };
}

/** One trial's figures. */
export interface TrialFigures {
  /** Every available analyzer check held. */
  checks_ok: boolean;
  /** Ids of the checks that failed. */
  checks_failed: string[];
  /** Clock rates in machine id order. */
  rates: number[];
  /** The metrics (null when not defined, e.g. no middle machine with 2 machines). */
  metrics: Record<MetricId, number | null>;
  /** Messages logged UNDELIVERED (in flight at END in a simulation). */
  undelivered: number;
  /** Per machine, in id order. */
  machines: MachineFigures[];
}

/**
 * Machine indices by rank: slowest (lowest rate, then lowest id), fastest (highest rate,
 * then highest id) and, with 3 or more machines, the middle one (the median by rate).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankIndices } from "./figures.ts";
 * assert.deepEqual(rankIndices([3, 3, 1]), { slowest: 2, middle: 0, fastest: 1 });
 * assert.deepEqual(rankIndices([5, 2]), { slowest: 1, middle: null, fastest: 0 });
 * ```
 */
export function rankIndices(
  rates: number[],
): { slowest: number; middle: number | null; fastest: number } {
  const order = rates.map((r, i) => [r, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const at = (k: number) => order[k][1];
  return {
    slowest: at(0),
    middle: rates.length >= 3 ? at(Math.floor((rates.length - 1) / 2)) : null,
    fastest: at(rates.length - 1),
  };
}

/**
 * Reads a trial's figures from the analyzer's summary of its logs; `duration` (s) and
 * `dieSides` are the trial's settings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { trialFigures } from "./figures.ts";
 * const { summary } = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]);
 * const f = trialFigures(summary, { duration: 60, dieSides: 10 });
 * assert.deepEqual(f.rates, [3, 6, 1]);
 * assert.equal(f.metrics.final_drift, 122);
 * assert.equal(f.machines[2].rank, "slowest");
 * ```
 */
export function trialFigures(
  summary: AnalysisSummary,
  options: { duration: number; dieSides: number },
): TrialFigures {
  const ms = [...summary.machines].sort((a, b) => a.machine_id - b.machine_id);
  const rates = ms.map((m) => m.clock_rate);
  const ranks = rankIndices(rates);
  const prediction = predictCluster(rates, { dieSides: options.dieSides });
  const t = options.duration > 0 ? options.duration : 1;
  const machines = ms.map((m, i): MachineFigures => {
    const ticks = (m.events.SEND ?? 0) + (m.events.RECEIVE ?? 0) + (m.events.INTERNAL ?? 0);
    const receives = m.events.RECEIVE ?? 0;
    const queued = m.queued_at_end ?? 0;
    const p = prediction.machines[i];
    return {
      id: m.machine_id,
      rank: i === ranks.slowest
        ? "slowest"
        : i === ranks.fastest
        ? "fastest"
        : i === ranks.middle
        ? "middle"
        : null,
      rate: m.clock_rate,
      final_clock: m.final_clock,
      ticks,
      receives,
      max_queue_len: m.max_queue_len,
      queued_at_end: queued,
      mean_receive_jump: m.mean_receive_jump,
      arrival_rate: (receives + queued) / t,
      busy: ticks > 0 ? receives / ticks : 0,
      queue_growth: queued / t,
      clock_growth: m.final_clock / t,
      predicted: {
        arrival_rate: p.arrival,
        utilisation: p.utilisation,
        busy: p.busy,
        unbounded: p.unbounded,
        queue_growth: p.queueGrowth,
        clock_growth: p.clockGrowth,
      },
    };
  });
  const receives = machines.reduce((s, m) => s + m.receives, 0);
  // RECEIVE jump sum from each machine's mean; a machine's max_jump is its largest RECEIVE
  // jump whenever it received at all (SEND and INTERNAL add exactly 1, a RECEIVE at least 1).
  const jumpSum = machines.reduce((s, m) => s + (m.mean_receive_jump ?? 0) * m.receives, 0);
  const withReceive = ms.filter((m) => (m.events.RECEIVE ?? 0) > 0);
  const msg = summary.messages;
  const queueAt = (i: number | null) => (i === null ? null : machines[i].max_queue_len);
  const metrics: Record<MetricId, number | null> = {
    final_drift: summary.final_drift,
    max_drift: summary.drift.max,
    mean_drift: summary.drift.mean,
    mean_receive_jump: receives > 0 ? jumpSum / receives : null,
    max_receive_jump: withReceive.length > 0
      ? Math.max(...withReceive.map((m) => m.max_jump))
      : null,
    max_queue_slowest: queueAt(ranks.slowest),
    max_queue_middle: queueAt(ranks.middle),
    max_queue_fastest: queueAt(ranks.fastest),
    sent: msg?.sent ?? null,
    received: msg?.received ?? null,
    queued_at_end: msg?.queued_at_end ?? null,
    drift_growth: (machines[ranks.fastest].final_clock - machines[ranks.slowest].final_clock) / t,
    predicted_drift_growth: prediction.driftGrowth,
  };
  const failed = summary.checks.filter((c) => c.failed > 0).map((c) => c.id);
  return {
    checks_ok: summary.ok && summary.checks.length > 0,
    checks_failed: failed,
    rates,
    metrics,
    undelivered: msg?.undelivered ?? 0,
    machines,
  };
}

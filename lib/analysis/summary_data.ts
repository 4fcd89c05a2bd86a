/**
 * The analysis summary as plain data: what the markdown and JSON summaries are written from.
 * Its shape is the documented schema of `analysis_summary.json` (see
 * docs/analysis_summary_json.md).
 *
 * @module
 */
import type { LegacySummary } from "./_legacy_traffic.ts";

export type { LegacySummary };
import { EVENT_NAMES } from "./_event_line.ts";
import type { CheckResult } from "./checks.ts";
import type { DriftStats } from "./_drift_tracker.ts";
import type { MachineState } from "./_machine_state.ts";
import type { MessageSummary } from "./_message_summary.ts";
import type { ReadStats } from "./_machine_stream.ts";
import type { CausalitySummary } from "../causality/summary.ts";
import type { LinkSummary } from "./_link_tracker.ts";

export { messageSummary } from "./_message_summary.ts";
export type { MessageSummary } from "./_message_summary.ts";

/** One incarnation (node process, log file) of a machine. */
export interface IncarnationSummary {
  /** STARTUP `session`, null when not logged. */
  session: number | null;
  /** Log file. */
  file: string;
  /** Its STARTUP clock_rate. */
  clock_rate: number;
  /** First and last event, seconds since run start. */
  start: number;
  /** Last event, seconds since run start. */
  end: number;
  /** Whether the log ends with END. */
  finished: boolean;
  /** END `reason` ("completed", "stopped", "failed"), null when not logged or no END. */
  end_reason: string | null;
  /** END `detail`, null when not logged or no END. */
  end_detail: string | null;
  /** END final_clock, or the last new_clock without END. */
  final_clock: number;
  /** Lines skipped by --lenient. */
  skipped_lines: number;
  /** Whether a cut last line was ignored. */
  truncated_last_line: boolean;
}

/** One machine's figures (over all its incarnations). */
export interface MachineSummary {
  /** machine_id. */
  machine_id: number;
  /** Log file (the first incarnation's). */
  file: string;
  /** STARTUP clock_rate (ticks per second) of the first incarnation. */
  clock_rate: number;
  /** Whether every incarnation's log ends with END; false = "did not finish" (last clock used). */
  finished: boolean;
  /** The last incarnation's END `reason`, null when not logged or no END. */
  end_reason: string | null;
  /** The last incarnation's END `detail`, null when not logged or no END. */
  end_detail: string | null;
  /** Incarnations, in time order (more than one: the node was restarted). */
  incarnations: IncarnationSummary[];
  /** END final_clock of the last incarnation, or its last new_clock when it did not finish. */
  final_clock: number;
  /** Events by type. */
  events: Record<string, number>;
  /** Mean new−old over SEND/RECEIVE/INTERNAL (the original's avg_jump_size). */
  avg_jump_size: number | null;
  /** Mean new−old over RECEIVE only. */
  mean_receive_jump: number | null;
  /** Largest new−old. */
  max_jump: number;
  /** Largest queue_len at a RECEIVE. */
  max_queue_len: number;
  /** When it was first reached (seconds since run start), null without RECEIVE. */
  max_queue_at: number | null;
  /** Mean queue_len over RECEIVE events. */
  mean_queue_len: number | null;
  /** Messages in the queue at END (our schema; summed over incarnations), else null. */
  queued_at_end: number | null;
  /** Mean and max of RECEIVE system_time − arrival_time (s), null without arrival_time. */
  queue_wait: { mean: number; max: number } | null;
  /** Lines skipped by --lenient (all incarnations). */
  skipped_lines: number;
  /** Whether a cut last line was ignored (in any incarnation). */
  truncated_last_line: boolean;
}

/**
 * The verdict: "failed" (a check failed), "incomplete" (not everything could be checked: see
 * `incomplete_reasons`), "unverified" (`--no-verify`, complete), "verified" (complete and every
 * check held). The CLI exits 1, 3, 0 and 0.
 */
export type AnalysisStatus = "verified" | "failed" | "incomplete" | "unverified";

/** The whole summary (`analysis_summary.json`). */
export interface AnalysisSummary {
  /** Schema version of this JSON (2: incarnations, completeness, rejected messages). */
  schema_version: 2;
  /** The verdict; see {@link AnalysisStatus}. */
  status: AnalysisStatus;
  /** Whether every machine finished and every message is accounted for (see the reasons). */
  complete: boolean;
  /** Why the run could not be fully checked, most important first; [] when complete. */
  incomplete_reasons: string[];
  /** Log files, in argument order. */
  files: string[];
  /** "ours" (message ids), "original" (the Python schema) or "mixed". */
  log_schema: "ours" | "original" | "mixed";
  /** Epoch seconds of the earliest and latest event; duration in seconds. */
  run: { start: number; end: number; duration: number };
  /** Events (lines) analyzed. */
  total_events: number;
  /** Per machine, by machine_id. */
  machines: MachineSummary[];
  /** max − min of the final clocks. */
  final_drift: number;
  /** Drift over time (max − min of the clocks at each instant). */
  drift: { max: number; max_at: number; mean: number; mean_by_third: number[] };
  /** Message counts; null when the logs have no message ids. */
  messages: MessageSummary | null;
  /** Traffic with original (Python) nodes in a mixed cluster, counted; null when none. */
  legacy: LegacySummary | null;
  /** Links and protocol errors (our schema); `protocol_errors` includes the suppressed ones. */
  links: LinkSummary;
  /** Happened-before: exact pair counts, Lamport ambiguity (see docs/causality.md). */
  causality: CausalitySummary;
  /** Verification; empty when run with --no-verify. */
  checks: CheckResult[];
  /** Whether every available check held (true with --no-verify). */
  ok: boolean;
  /** Warnings (truncated lines, skipped lines, machines that did not finish). */
  warnings: string[];
}

function mean(sum: number, n: number) {
  return (n > 0 ? sum / n : null);
}

/**
 * Summarizes one machine (`stats`: per incarnation, what reading its file found; `start`: run
 * start, epoch seconds).
 *
 * @example
 * ```ts
 * import { machineSummary } from "./summary_data.ts";
 * import { MachineState } from "./_machine_state.ts";
 * import { createChecks } from "./checks.ts";
 * import assert from "node:assert/strict";
 * const info = {
 *   path: "m1.log", machineId: 1, clockRate: 3, port: null, ids: false, session: null,
 *   firstTime: 0, lastTime: 1,
 * };
 * const m = new MachineState([info], { checks: createChecks(), range: { start: 0, end: 1, columns: 10 } });
 * m.finish();
 * const s = machineSummary(m, { stats: [{ skipped: 0, firstSkipped: "", truncated: false, lines: 0 }], start: 0 });
 * assert.equal(s.finished, false);
 * ```
 */
export function machineSummary(
  m: MachineState,
  options: { stats: ReadStats[]; start: number },
): MachineSummary {
  const f = m.figures();
  const events: Record<string, number> = {};
  // The events of mixed clusters are listed only where they happened.
  EVENT_NAMES.forEach((name, i) => {
    if (f.counts[i] > 0 || (name !== "UNCONFIRMED" && name !== "LEGACY_PEER")) {
      events[name] = f.counts[i];
    }
  });
  const receives = f.counts[2];
  const { stats, start } = options;
  const incarnations = m.incarnations.map((inc, i): IncarnationSummary => ({
    session: inc.info.session,
    file: inc.info.path,
    clock_rate: inc.info.clockRate,
    start: inc.firstTime - start,
    end: (Number.isNaN(inc.lastTime) ? inc.firstTime : inc.lastTime) - start,
    finished: inc.finished,
    end_reason: inc.finished ? inc.endReason : null,
    end_detail: inc.finished ? inc.endDetail : null,
    final_clock: inc.finalClock,
    skipped_lines: stats[i].skipped,
    truncated_last_line: stats[i].truncated,
  }));
  const last = incarnations[incarnations.length - 1];
  return {
    machine_id: m.info.machineId,
    file: m.info.path,
    clock_rate: m.info.clockRate,
    finished: incarnations.every((x) => x.finished),
    end_reason: last.end_reason,
    end_detail: last.end_detail,
    incarnations,
    final_clock: m.finalClock,
    events,
    avg_jump_size: mean(f.jumpSum, f.jumpCount),
    mean_receive_jump: mean(f.receiveJumpSum, receives),
    max_jump: f.maxJump,
    max_queue_len: f.maxQueue,
    max_queue_at: receives > 0 ? f.maxQueueAt : null,
    mean_queue_len: mean(f.queueSum, receives),
    queued_at_end: f.queuedAtEnd,
    queue_wait: f.waitCount > 0 ? { mean: f.waitSum / f.waitCount, max: f.waitMax } : null,
    skipped_lines: incarnations.reduce((a, x) => a + x.skipped_lines, 0),
    truncated_last_line: incarnations.some((x) => x.truncated_last_line),
  };
}

/**
 * Drift statistics in summary form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { driftSummary } from "./summary_data.ts";
 * assert.deepEqual(driftSummary({ max: 4, maxAt: 2, mean: 1, thirds: [1, 0.5, 1.5] }), {
 *   max: 4,
 *   max_at: 2,
 *   mean: 1,
 *   mean_by_third: [1, 0.5, 1.5],
 * });
 * ```
 */
export function driftSummary(d: DriftStats): AnalysisSummary["drift"] {
  return { max: d.max, max_at: d.maxAt, mean: d.mean, mean_by_third: [...d.thirds] };
}

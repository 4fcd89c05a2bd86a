/**
 * The analysis summary as plain data: what the markdown and JSON summaries are written from.
 * Its shape is the documented schema of `analysis_summary.json` (see docs/analyzer.md).
 *
 * @module
 */
import { EVENT_NAMES } from "./_event_line.ts";
import type { CheckResult } from "./checks.ts";
import type { DriftStats } from "./_drift_tracker.ts";
import type { MachineState } from "./_machine_state.ts";
import type { MessageCounts } from "./_message_ledger.ts";
import type { CausalitySummary } from "../causality/summary.ts";

/** One machine's figures. */
export interface MachineSummary {
  /** machine_id. */
  machine_id: number;
  /** Log file. */
  file: string;
  /** STARTUP clock_rate (ticks per second). */
  clock_rate: number;
  /** Whether the log ends with END; false = "did not finish" (last clock used). */
  finished: boolean;
  /** END final_clock, or the last new_clock when the machine did not finish. */
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
  /** Messages in the queue at END (our schema), else null. */
  queued_at_end: number | null;
  /** Mean and max of RECEIVE system_time − arrival_time (s), null without arrival_time. */
  queue_wait: { mean: number; max: number } | null;
  /** Lines skipped by --lenient. */
  skipped_lines: number;
  /** Whether a truncated last line was ignored. */
  truncated_last_line: boolean;
}

/** Message counts (see {@link MessageCounts} for each definition). */
export interface MessageSummary {
  /** Messages sent, one per (SEND, resolved recipient). */
  sent: number;
  /** RECEIVE events carrying an id (from, seq). */
  received: number;
  /** Received messages matched to their SEND. */
  matched: number;
  /** Sent messages still queued at the receiver's END. */
  queued_at_end: number;
  /** Logged UNDELIVERED by the sender and never received. */
  undelivered: number;
  /** Logged UNDELIVERED but received anyway. */
  delivered_unacknowledged: number;
  /** The same (from, seq) received twice at one machine. */
  duplicates: number;
  /** Received (or queued) with a (from, seq) that no SEND matches. */
  orphans: number;
  /** Sent and neither received, queued nor logged undelivered. */
  unaccounted: number;
  /** Sent to a machine that did not finish, never received: its fate is unknown (not checked). */
  to_unfinished: number;
  /** SEND recipients whose id the logs do not resolve. */
  unresolved_recipients: number;
  /** The first of them, `file:line (address)`. */
  unresolved_examples: string[];
  /** RECEIVE of bare-integer messages (outside conservation). */
  legacy: number;
  /** Messages to or from a machine without a log here (outside conservation). */
  unlogged: number;
  /** Matched: RECEIVE system_time − SEND system_time (s). */
  latency: { mean: number; max: number } | null;
}

/** The whole summary (`analysis_summary.json`). */
export interface AnalysisSummary {
  /** Schema version of this JSON. */
  schema_version: 1;
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
  /** Links and protocol errors (our schema). */
  links: { up: number; down: number; protocol_errors: number; protocol_error_examples: string[] };
  /** Happened-before: exact pair counts, Lamport ambiguity (see docs/causality.md). */
  causality: CausalitySummary;
  /** Verification; empty when run with --no-verify. */
  checks: CheckResult[];
  /** Whether every available check held (true with --no-verify). */
  ok: boolean;
  /** Warnings (truncated lines, skipped lines, machines that did not finish). */
  warnings: string[];
}

const mean = (sum: number, n: number) => (n > 0 ? sum / n : null);

/**
 * Summarizes one machine.
 *
 * @example
 * ```ts
 * import { machineSummary } from "./summary_data.ts";
 * // machineSummary(state, { skipped: 0, truncated: false }).final_clock
 * ```
 */
export function machineSummary(
  m: MachineState,
  reader: { skipped: number; truncated: boolean },
): MachineSummary {
  const events: Record<string, number> = {};
  EVENT_NAMES.forEach((name, i) => events[name] = m.counts[i]);
  const receives = m.counts[2];
  return {
    machine_id: m.info.machineId,
    file: m.info.path,
    clock_rate: m.info.clockRate,
    finished: m.finished,
    final_clock: m.finalClock,
    events,
    avg_jump_size: mean(m.jumpSum, m.jumpCount),
    mean_receive_jump: mean(m.receiveJumpSum, receives),
    max_jump: m.maxJump,
    max_queue_len: m.maxQueue,
    max_queue_at: receives > 0 ? m.maxQueueAt : null,
    mean_queue_len: mean(m.queueSum, receives),
    queued_at_end: m.queuedAtEnd,
    queue_wait: m.waitCount > 0 ? { mean: m.waitSum / m.waitCount, max: m.waitMax } : null,
    skipped_lines: reader.skipped,
    truncated_last_line: reader.truncated,
  };
}

/**
 * Drift statistics in summary form.
 *
 * @example
 * ```ts
 * import { driftSummary } from "./summary_data.ts";
 * driftSummary({ max: 4, maxAt: 2, mean: 1, thirds: [1, 1, 1] }).max; // 4
 * ```
 */
export function driftSummary(d: DriftStats): AnalysisSummary["drift"] {
  return { max: d.max, max_at: d.maxAt, mean: d.mean, mean_by_third: [...d.thirds] };
}

/**
 * Message counts in summary form.
 *
 * @example
 * ```ts
 * import { messageSummary } from "./summary_data.ts";
 * // messageSummary(ledger.finish(), ledger.unresolvedList).sent
 * ```
 */
export function messageSummary(c: MessageCounts, unresolved: string[]): MessageSummary {
  return {
    sent: c.sent,
    received: c.received,
    matched: c.matched,
    queued_at_end: c.queuedAtEnd,
    undelivered: c.undelivered,
    delivered_unacknowledged: c.deliveredUnacknowledged,
    duplicates: c.duplicates,
    orphans: c.orphans,
    unaccounted: c.unaccounted,
    to_unfinished: c.toUnfinished,
    unresolved_recipients: c.unresolvedRecipients,
    unresolved_examples: unresolved,
    legacy: c.legacy,
    unlogged: c.unlogged,
    latency: c.latency,
  };
}

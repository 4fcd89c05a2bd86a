/**
 * The "Observations" of the summary, computed from the data: which machine lagged, whose
 * receive jumps were largest, where queues grew, whether drift grew, what the checks found.
 *
 * @module
 */
import type { AnalysisSummary, MachineSummary } from "./summary_data.ts";

/**
 * Formats a number with at most `digits` decimals (no trailing zeros); null/NaN → "n/a".
 *
 * @example
 * ```ts
 * import { fmt } from "./_observations.ts";
 * fmt(2.5); // "2.5"
 * fmt(1 / 3); // "0.333"
 * ```
 */
export function fmt(x: number | null, digits = 3): string {
  if (x === null || Number.isNaN(x)) return "n/a";
  return String(Number(x.toFixed(digits)));
}

const name = (m: MachineSummary) => `machine ${m.machine_id} (rate ${m.clock_rate}/s)`;

/**
 * Observation sentences for a summary.
 *
 * @example
 * ```ts
 * import { observations } from "./_observations.ts";
 * // observations(summary) → ["Machine 2 (rate 1/s) lagged: ...", ...]
 * ```
 */
export function observations(s: AnalysisSummary): string[] {
  const out: string[] = [];
  const ms = [...s.machines];
  const lead = ms.reduce((a, b) => (b.final_clock > a.final_clock ? b : a));
  const lag = ms.reduce((a, b) => (b.final_clock < a.final_clock ? b : a));
  if (ms.length < 2) out.push("Only one machine: drift is 0 by definition.");
  else if (s.final_drift === 0) {
    out.push(`All ${ms.length} machines ended with the same clock (${lead.final_clock}).`);
  } else {
    out.push(
      `${
        cap(name(lag))
      } lagged most: its final clock ${lag.final_clock} is ${s.final_drift} behind ${
        name(lead)
      } (${lead.final_clock}).`,
    );
  }
  const withRecv = ms.filter((m) => m.mean_receive_jump !== null);
  if (withRecv.length >= 2) {
    const hi = withRecv.reduce((a, b) => (b.mean_receive_jump! > a.mean_receive_jump! ? b : a));
    const lo = withRecv.reduce((a, b) => (b.mean_receive_jump! < a.mean_receive_jump! ? b : a));
    out.push(
      `${cap(name(hi))} had the largest mean RECEIVE jump (${
        fmt(hi.mean_receive_jump)
      }, max ${hi.max_jump}) against ${fmt(lo.mean_receive_jump)} for ${name(lo)}: ${
        hi.clock_rate < lo.clock_rate
          ? "the slower clock is pulled forward by faster senders"
          : "its clock was pulled forward the most"
      }.`,
    );
  }
  const q = ms.reduce((a, b) => (b.max_queue_len > a.max_queue_len ? b : a));
  if (q.max_queue_len === 0) {
    out.push("No receive queue built up: every RECEIVE left an empty queue behind.");
  } else {
    const others = ms.filter((m) => m !== q).map((m) =>
      `machine ${m.machine_id}: ${m.max_queue_len}`
    );
    out.push(
      `The longest queue was at ${name(q)}: ${q.max_queue_len} message(s) waiting, first at ${
        fmt(q.max_queue_at, 1)
      } s (mean ${fmt(q.mean_queue_len)})${
        others.length ? `; the others peaked at ${others.join(", ")}` : ""
      }.`,
    );
  }
  const [a, , c] = s.drift.mean_by_third;
  const trend = c > a * 1.5 + 1
    ? `grew: its time-weighted mean rose from ${fmt(a)} in the first third of the run to ${
      fmt(c)
    } in the last`
    : a > c * 1.5 + 1
    ? `shrank: its time-weighted mean fell from ${fmt(a)} in the first third to ${
      fmt(c)
    } in the last`
    : `stayed bounded: its time-weighted mean was ${fmt(a)} in the first third and ${
      fmt(c)
    } in the last`;
  out.push(`Drift ${trend} (max ${s.drift.max} at ${fmt(s.drift.max_at, 1)} s).`);
  const unfinished = ms.filter((m) => !m.finished);
  if (unfinished.length > 0) {
    out.push(
      `${unfinished.map(name).join(", ")} did not finish (no END): the last clock is used.`,
    );
  }
  if (s.messages !== null) {
    const m = s.messages;
    const left = m.queued_at_end + m.undelivered;
    out.push(
      `${m.matched} of ${m.sent} messages were received${
        left ? `; ${m.queued_at_end} still queued at END and ${m.undelivered} undelivered` : ""
      }${m.latency ? `; mean latency ${fmt(m.latency.mean * 1000, 1)} ms` : ""}.`,
    );
  }
  if (s.checks.length > 0) {
    const failed = s.checks.filter((c) => c.failed > 0);
    const avail = s.checks.filter((c) => c.available).length;
    out.push(
      failed.length === 0
        ? `All ${avail} available checks held${
          s.legacy === null
            ? ""
            : " on the messages with ids; messages to and from original (Python) nodes were " +
              "only counted (no ids, no acks)"
        }.`
        : `${failed.length} check(s) failed: ${failed.map((c) => c.id).join(", ")}.`,
    );
  }
  return out;
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

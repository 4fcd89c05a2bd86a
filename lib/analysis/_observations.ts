/**
 * The "Observations" of the summary, computed from the data. Problems come first — peers that
 * never connected, messages left undelivered (by peer), machines that did not finish — then
 * which machine lagged, whose receive jumps were largest, where queues grew, whether drift
 * grew, and what the checks found.
 *
 * @module
 */
import type { AnalysisSummary, MachineSummary } from "./summary_data.ts";
import type { PeerRef } from "./_link_tracker.ts";
import { count, duration, fmt } from "./_format.ts";

/** Machines named one by one in the queue observation; beyond that, a count and a range. */
const QUEUES_LISTED = 8;

function name(m: MachineSummary): string {
  return `machine ${m.machine_id} (rate ${m.clock_rate}/s)`;
}

/** "machine 3 at 127.0.0.1:5003", or the address alone when its id is unknown. */
function peerName(p: PeerRef): string {
  return p.peer_id === null ? p.peer : `machine ${p.peer_id} at ${p.peer}`;
}

/**
 * Observation sentences for a summary, problems first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "./analyze.ts";
 * import { observations } from "./_observations.ts";
 * const { summary } = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]);
 * const o = observations(summary);
 * assert.match(o[0], /^Machine \d \(rate \d\/s\) lagged most/);
 * assert.equal(o.at(-1), "All 8 available checks held.");
 * ```
 */
export function observations(s: AnalysisSummary): string[] {
  const out = [...problems(s)];
  const ms = s.machines;
  const lead = ms.reduce((a, b) => (b.final_clock > a.final_clock ? b : a));
  const lag = ms.reduce((a, b) => (b.final_clock < a.final_clock ? b : a));
  if (ms.length < 2) out.push("Only one machine: drift is 0 by definition.");
  else if (s.final_drift === 0) {
    out.push(
      `${
        ms.length === 2 ? "Both" : `All ${ms.length}`
      } machines ended with the same clock (${lead.final_clock}).`,
    );
  } else {
    out.push(
      `${
        cap(name(lag))
      } lagged most: its final clock ${lag.final_clock} is ${s.final_drift} behind the ${lead.final_clock} of ${
        name(lead)
      }.`,
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
    const rest = ms.filter((m) => m !== q);
    // With many machines, the highest peaks and the range of the rest (not a thousand names).
    const listed = rest.length <= QUEUES_LISTED
      ? rest
      : [...rest].sort((a, b) => b.max_queue_len - a.max_queue_len).slice(0, QUEUES_LISTED - 1);
    const unlisted = rest.filter((m) => !listed.includes(m)).map((m) => m.max_queue_len);
    const others = listed.map((m) => `machine ${m.machine_id}: ${m.max_queue_len}`);
    if (unlisted.length) {
      others.push(
        `and ${unlisted.length} more at ${Math.min(...unlisted)}–${Math.max(...unlisted)}`,
      );
    }
    out.push(
      `The longest queue was at ${name(q)}: ${
        count(q.max_queue_len, "message")
      } waiting, first at ${fmt(q.max_queue_at, 1)} s (mean ${fmt(q.mean_queue_len)})${
        others.length
          ? `; the ${unlisted.length ? "highest of the " : ""}others peaked at ${others.join(", ")}`
          : ""
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
  if (ms.length > 1) {
    out.push(`Drift ${trend} (max ${s.drift.max} at ${fmt(s.drift.max_at, 1)} s).`);
  }
  if (s.messages !== null) {
    const m = s.messages;
    const left = m.queued_at_end + m.undelivered;
    out.push(
      `${m.matched} of ${m.sent} messages were received${
        left ? `; ${m.queued_at_end} still queued at END and ${m.undelivered} undelivered` : ""
      }${m.latency ? `; mean latency ${duration(m.latency.mean)}` : ""}.`,
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
        : `${count(failed.length, "check")} failed: ${failed.map((c) => c.id).join(", ")}.`,
    );
  }
  return out;
}

/** Peers that never connected, undelivered messages by peer, unfinished machines. */
function problems(s: AnalysisSummary): string[] {
  const out: string[] = [];
  const never = s.links.never_connected;
  for (const id of new Set(never.map((p) => p.machine_id))) {
    const peers = never.filter((p) => p.machine_id === id).map(peerName);
    out.push(
      `**Machine ${id} never connected to ${peers.join(" or ")}**: its STARTUP lists ${
        peers.length > 1 ? "them as peers" : "it as a peer"
      }, but it logged no LINK_UP to ${peers.length > 1 ? "them" : "it"}, so it could not send ${
        peers.length > 1 ? "them" : "it"
      } anything.`,
    );
  }
  const undelivered = s.links.undelivered_by_peer, m = s.messages;
  if (undelivered.length > 0 && m !== null && m.undelivered > 0) {
    const parts = undelivered.slice(0, 5).map((u) =>
      `${u.count} from machine ${u.machine_id} to ${peerName(u)} (${
        u.count > 1 ? "first " : ""
      }reason "${u.reason}")`
    );
    const more = undelivered.length > 5 ? `; and ${undelivered.length - 5} more pairs` : "";
    const anyway = m.delivered_unacknowledged > 0
      ? `; ${m.delivered_unacknowledged} of them ${
        m.delivered_unacknowledged === 1 ? "was" : "were"
      } received anyway (delivered but unacknowledged)`
      : "";
    out.push(
      `**${count(m.undelivered, "message")} ${
        m.undelivered === 1 ? "was" : "were"
      } never delivered** (logged UNDELIVERED by the sender, never received). UNDELIVERED by sender and peer: ${
        parts.join("; ")
      }${more}${anyway}.`,
    );
  }
  const unfinished = s.machines.filter((m) => !m.finished);
  if (unfinished.length > 0) {
    out.push(
      `${cap(unfinished.map(name).join(", "))} did not finish (no END): ${
        unfinished.length > 1 ? "their" : "its"
      } last clock is used.`,
    );
  }
  return out;
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

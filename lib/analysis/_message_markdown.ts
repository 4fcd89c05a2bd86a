/**
 * The `## Messages` and `## Links and protocol errors` sections of `analysis_summary.md`: the
 * main counts always, the rarer outcomes (duplicates, refusals, …) only when they happened, and
 * links explained (who logs LINK_UP, which peers never connected).
 *
 * @module
 */
import type { AnalysisSummary } from "./summary_data.ts";
import { durations } from "./_format.ts";

/**
 * The lines of the `## Messages` section.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "./analyze.ts";
 * import { messageLines } from "./_message_markdown.ts";
 * const { summary } = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]);
 * const text = messageLines(summary).join("\n");
 * assert.match(text, /^- Sent: \d+ \(one per recipient of each SEND\)$/m);
 * assert.match(text, /^- Nothing else happened to a message: /m);
 * ```
 */
export function messageLines(s: AnalysisSummary): string[] {
  const L: string[] = [];
  const m = s.messages;
  if (m === null) {
    L.push(
      "Not available for these logs: in the original schema a message carries only a clock value, so a RECEIVE cannot be matched to its SEND.",
      "",
    );
  } else {
    const others = m.received - m.matched;
    L.push(
      `- Sent: ${m.sent} (one per recipient of each SEND)`,
      `- Received: ${m.received}${
        others === 0
          ? m.received > 0 ? ", each matched to its SEND by (sender, seq)" : ""
          : `, of which ${m.matched} matched to their SEND by (sender, seq) (the others are below)`
      }`,
      `- Still in the receiver's queue at its END: ${m.queued_at_end}`,
      `- ${
        bold(m.undelivered > 0, "Undelivered")
      } (the sender logged UNDELIVERED; never received): ${m.undelivered}`,
      `- Latency (RECEIVE time − SEND time): ${
        m.latency
          ? `mean ${durations([m.latency.mean, m.latency.max]).join(", max ")}`
          : "no matched message"
      }`,
    );
    L.push(queueWaitLine(s));
    const rare = rareLines(m);
    L.push(
      ...(rare.length > 0 ? rare : [
        "- Nothing else happened to a message: none refused, duplicated, orphaned, unaccounted for, of unknown fate, redelivered after a restart, or to or from a machine without a log here",
      ]),
    );
  }
  if (m === null) L.push(queueWaitLine(s));
  return L;
}

/** How long messages sat in each machine's receive queue. */
function queueWaitLine(s: AnalysisSummary): string {
  const waits = s.machines.filter((x) => x.queue_wait !== null);
  return `- Queue wait (RECEIVE time − arrival_time: how long a message sat in the queue): ${
    waits.length === 0
      ? "not available for these logs (no arrival_time)"
      : waits.map((x) =>
        `machine ${x.machine_id} mean ${
          durations([x.queue_wait!.mean, x.queue_wait!.max]).join(", max ")
        }`
      ).join("; ")
  }`;
}

/** The outcomes that are usually 0, one line each when they are not. */
function rareLines(m: NonNullable<AnalysisSummary["messages"]>): string[] {
  const L: string[] = [];
  if (m.rejected + m.rejected_other > 0) {
    L.push(
      `- **Rejected by the receiver** (PROTOCOL_ERROR naming the message): ${m.rejected}; refusals of forged, replayed or unlogged messages: ${m.rejected_other}${
        eg(m.rejected_examples)
      }`,
    );
  }
  if (m.delivered_unacknowledged > 0) {
    L.push(
      `- Delivered but unacknowledged (logged UNDELIVERED by the sender, yet received): ${m.delivered_unacknowledged}`,
    );
  }
  if (m.redelivered > 0) {
    L.push(
      `- Received again by a restarted recipient (resent after its restart): ${m.redelivered}`,
    );
  }
  if (m.duplicates + m.orphans + m.unaccounted > 0) {
    L.push(
      `- **Duplicates** (received twice): ${m.duplicates}; **orphans** (received, no SEND): ${m.orphans}; **unaccounted** (sent, then nothing): ${m.unaccounted}`,
    );
  }
  if (m.fate_unknown > 0) {
    L.push(
      `- **Fate unknown** (a log they depend on ends without END; not decided): ${m.fate_unknown}${
        eg(m.fate_unknown_examples)
      }`,
    );
  }
  if (m.unresolved_recipients > 0) {
    L.push(
      `- Recipients the logs do not name (an address no LINK_UP resolved): ${m.unresolved_recipients}${
        eg(m.unresolved_examples)
      }`,
    );
  }
  if (m.legacy > 0) {
    L.push(`- Legacy (bare-integer) messages, sender unknown, not checked: ${m.legacy}`);
  }
  if (m.unlogged > 0) {
    L.push(
      `- Messages to or from machines (or incarnations) without a log here (not checked): ${m.unlogged}${
        eg(m.unlogged_examples)
      }`,
    );
  }
  return L;
}

/**
 * The lines of the `## Links and protocol errors` section.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "./analyze.ts";
 * import { linkLines } from "./_message_markdown.ts";
 * const { summary } = analyzeLogs(["tests/fixtures/run_small"]);
 * assert.match(linkLines(summary)[0], /^- Connections: \d+ came up \(LINK_UP/);
 * ```
 */
export function linkLines(s: AnalysisSummary): string[] {
  const l = s.links, n = s.machines.length;
  const L: string[] = [];
  if (!l.logged) {
    L.push(
      "- Connections: none logged (simulated runs and the original schema have no TCP links, so no LINK_UP or LINK_DOWN)",
    );
  } else {
    const mesh = n < 2
      ? ""
      : `, so ${n} machines that all reach each other log ${n} × ${n - 1} × 2 = ${n * (n - 1) * 2}`;
    L.push(
      `- Connections: ${l.up} came up (LINK_UP: each end of a link logs one${mesh}), ${l.down} went down (LINK_DOWN: a peer stopped or the link broke)`,
    );
    if (l.never_connected.length === 0) {
      L.push("- Every machine connected to every peer its STARTUP lists");
    } else {
      L.push(
        `- **Never connected** (listed as a peer in STARTUP, no LINK_UP to it): ${
          l.never_connected.map((p) =>
            `machine ${p.machine_id} to ${p.peer}${
              p.peer_id === null ? "" : ` (machine ${p.peer_id})`
            }`
          ).join("; ")
        }`,
      );
    }
  }
  L.push(
    `- Protocol errors (PROTOCOL_ERROR: a frame or message a node refused): ${l.protocol_errors}${
      l.protocol_errors_suppressed > 0
        ? ` (${l.protocol_errors_suppressed} of them not logged one by one: rate limit)`
        : ""
    }`,
  );
  for (const e of l.protocol_error_examples) L.push(`  - ${e}`);
  return L;
}

function bold(on: boolean, text: string): string {
  return on ? `**${text}**` : text;
}

function eg(examples: string[]): string {
  return examples.length > 0 ? ` (e.g. ${examples.join("; ")})` : "";
}

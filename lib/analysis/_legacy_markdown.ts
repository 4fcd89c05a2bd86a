/**
 * The summary's section on a mixed cluster's traffic with original (Python) nodes, and the
 * reasons it makes the run incomplete.
 *
 * @module
 */
import type { LegacySummary } from "./_legacy_traffic.ts";

/**
 * Markdown lines of the "Messages to and from original nodes" section ([] without legacy
 * traffic).
 *
 * @example
 * ```ts
 * import { legacyMarkdown } from "./_legacy_markdown.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(legacyMarkdown(null), []);
 * ```
 */
export function legacyMarkdown(l: LegacySummary | null): string[] {
  if (l === null) return [];
  const L = ["", "## Messages to and from original (Python) nodes", ""];
  L.push(
    "The original protocol carries no message ids and no acks: these messages are counted, " +
      "not matched, and are not part of conservation, C2 or latency above.",
    "",
    `- Original-schema logs: ${
      l.original_machines.length === 0
        ? "none given"
        : l.original_machines.map((id) => `machine ${id}`).join(", ")
    }; legacy peers of our nodes: ${
      l.legacy_peers.length === 0 ? "none" : l.legacy_peers.join(", ")
    }`,
    `- Sent by our nodes to original nodes: ${l.sent_to_original}: **unconfirmed (legacy peer)** ${l.unconfirmed} (written, no ack possible), undelivered ${l.undelivered}, fate unknown ${l.fate_unknown}`,
    `- Bare-integer messages our nodes received (RECEIVE or queued at END): ${l.received_from_original}`,
  );
  for (const c of l.counts) {
    L.push(
      `- Machine ${c.machine_id} (${
        c.schema === "original" ? "original" : "ours, from original nodes"
      }): received ${c.received} ≤ sent to it ${c.sent_to_it}: ${
        c.holds ? "holds" : "**does not hold**"
      }`,
    );
  }
  if (l.unattributed > 0) {
    L.push(
      `- SEND recipients of original nodes naming no machine of these logs: ${l.unattributed}`,
    );
  }
  return L;
}

/**
 * Why legacy traffic leaves the run incomplete (the analyzer then exits 3).
 *
 * @example
 * ```ts
 * import { legacyReasons } from "./_legacy_markdown.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(legacyReasons(null), []);
 * ```
 */
export function legacyReasons(l: LegacySummary | null): string[] {
  if (l === null) return [];
  const out: string[] = [];
  if (l.sent_to_original > 0) {
    out.push(
      `${l.sent_to_original} message(s) sent to original (legacy) nodes cannot be checked: the original protocol has no acks and no message ids (${l.unconfirmed} unconfirmed (legacy peer), ${l.undelivered} undelivered, ${l.fate_unknown} of unknown fate); only counts are compared`,
    );
  }
  if (l.received_from_original > 0) {
    out.push(
      `${l.received_from_original} bare-integer message(s) our nodes received from original nodes carry no sender id: not part of conservation, C2 or latency; only counts are compared`,
    );
  }
  const broken = l.counts.filter((c) => !c.holds);
  for (const c of broken) {
    out.push(
      `machine ${c.machine_id} received ${c.received} message(s) from ${
        c.schema === "original" ? "any node" : "original nodes"
      } but the logs given show only ${c.sent_to_it} sent to it: a sender's log is missing, or a host name differs between the logs`,
    );
  }
  if (l.original_machines.length > 0) {
    out.push(
      `${l.original_machines.length} log(s) in the original schema (machine ${
        l.original_machines.join(", ")
      }): their messages carry no ids, so received ≤ sent is all that can be checked for them`,
    );
  }
  return out;
}

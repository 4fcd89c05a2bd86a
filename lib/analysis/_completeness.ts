/**
 * Whether a run could be fully checked, and if not, why: the reasons the analyzer shows first
 * (console, `analysis_summary.md`, `incomplete_reasons` in the JSON) and that make it exit 3.
 * A run is complete when every machine's logs end with END (and no END says "failed"), every
 * line was read, and every message is accounted for by the logs given.
 *
 * @module
 */
import type { AnalysisStatus, AnalysisSummary, MachineSummary } from "./summary_data.ts";
import { legacyReasons } from "./_legacy_markdown.ts";

/** What {@link incompleteReasons} reads of a summary. */
export type CompletenessInput =
  & Pick<AnalysisSummary, "machines" | "messages" | "checks">
  & Partial<Pick<AnalysisSummary, "legacy">>;

const LISTED = 10;

/**
 * The reasons a run is incomplete, most important first; [] when it is complete.
 *
 * @example
 * ```ts
 * import { incompleteReasons } from "./_completeness.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(incompleteReasons({ machines: [], messages: null, checks: [] }), []);
 * ```
 */
export function incompleteReasons(s: CompletenessInput): string[] {
  const out: string[] = [];
  const unfinished: string[] = [], failed: string[] = [], skipped: string[] = [];
  for (const m of s.machines) {
    m.incarnations.forEach((inc, i) => {
      const who = machineName(m, i);
      if (!inc.finished) {
        unfinished.push(
          `${who} did not finish: "${inc.file}" ends at t=${t(inc.end)} s without END${
            inc.truncated_last_line ? " (its last line is cut: was the node killed?)" : ""
          }`,
        );
      } else if (inc.end_reason === "failed") {
        failed.push(
          `${who} failed: END reason "failed"${
            inc.end_detail ? ` (${JSON.stringify(inc.end_detail)})` : ""
          } in "${inc.file}"`,
        );
      }
      if (inc.skipped_lines > 0) {
        skipped.push(`${inc.skipped_lines} malformed line(s) of "${inc.file}" skipped (--lenient)`);
      }
    });
  }
  out.push(...capped(unfinished, "more machines did not finish"));
  out.push(...capped(failed, "more machines failed"));
  out.push(...capped(skipped, "more files had lines skipped"));
  const msg = s.messages;
  if (msg !== null) {
    if (msg.fate_unknown > 0) {
      out.push(
        `${msg.fate_unknown} message(s) of unknown fate (a log they depend on ends without END)${
          eg(msg.fate_unknown_examples)
        }`,
      );
    }
    const rejected = msg.rejected + msg.rejected_other;
    if (rejected > 0) {
      out.push(
        `${rejected} message(s) rejected by the receiver (PROTOCOL_ERROR): ${msg.rejected} sent by a logged node, ${msg.rejected_other} forged, replayed or from no logged SEND${
          eg(msg.rejected_examples)
        }`,
      );
    }
    if (msg.legacy > 0 && !s.legacy) {
      out.push(
        `${msg.legacy} bare-integer (legacy) message(s) received or queued: their sender is unknown, so they are not checked`,
      );
    }
    if (msg.unlogged > 0) {
      out.push(
        `${msg.unlogged} message(s) to or from machines (or incarnations) without a log here, not checked${
          eg(msg.unlogged_examples)
        }`,
      );
    }
  }
  out.push(...legacyReasons(s.legacy ?? null));
  const unavailable = s.checks.filter((c) => !c.available);
  if (unavailable.length > 0) {
    // The conservation check's note names the logs without message ids, when that is the cause.
    const why = unavailable.find((c) => c.id === "conservation") ?? unavailable[0];
    out.push(
      `not checked: ${unavailable.map((c) => c.id).join(", ")}: ${
        why.note ?? "not available for these logs"
      }`,
    );
  }
  return out;
}

/**
 * The verdict of a summary: "failed" beats "incomplete", which beats "unverified".
 *
 * @example
 * ```ts
 * import { analysisStatus } from "./_completeness.ts";
 * import assert from "node:assert/strict";
 * assert.equal(analysisStatus({ checks: [], reasons: ["x"], verify: true }), "incomplete");
 * ```
 */
export function analysisStatus(
  s: { checks: AnalysisSummary["checks"]; reasons: string[]; verify: boolean },
): AnalysisStatus {
  if (s.checks.some((c) => c.failed > 0)) return "failed";
  if (s.reasons.length > 0) return "incomplete";
  return s.verify ? "verified" : "unverified";
}

function machineName(m: MachineSummary, i: number): string {
  if (m.incarnations.length === 1) return `machine ${m.machine_id}`;
  const session = m.incarnations[i].session;
  return `machine ${m.machine_id} (incarnation ${
    i + 1
  } of ${m.incarnations.length}, session ${session})`;
}

function capped(lines: string[], more: string): string[] {
  if (lines.length <= LISTED) return lines;
  return [...lines.slice(0, LISTED), `... and ${lines.length - LISTED} ${more}`];
}

function eg(examples: string[]): string {
  return examples.length > 0 ? `, e.g. ${examples[0]}` : "";
}

function t(seconds: number): string {
  return String(Number(seconds.toFixed(3)));
}

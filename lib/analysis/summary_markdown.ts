/**
 * Writes the analysis summary as markdown (`analysis_summary.md`): the verdict and what could
 * not be checked, the original's `**Final Drift (max - min final_clock)**: X` line, the
 * observations (problems first), the original's `## Summary Table`, then how each machine ended,
 * drift over time, messages, happened-before, verification, links, and the definition of every
 * metric.
 *
 * @module
 */
import { legacyMarkdown } from "./_legacy_markdown.ts";
import { observations } from "./_observations.ts";
import type { AnalysisSummary } from "./summary_data.ts";
import type { CheckResult } from "./checks.ts";
import { causalityMarkdown } from "./_causality_markdown.ts";
import { fmt } from "./_format.ts";
import { linkLines, messageLines } from "./_message_markdown.ts";

const NA = "not available for these logs";

const FORMAT: Record<AnalysisSummary["log_schema"], string> = {
  ours:
    "this project's: every message carries its sender and a sequence number, so each RECEIVE is matched to its SEND",
  original:
    "the original Python assignment's: a message carries only a clock value, so RECEIVEs cannot be matched to SENDs",
  mixed:
    "mixed: some logs are in the original Python assignment's format (no message ids), so messages cannot be matched",
};

/**
 * Renders the markdown summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "./analyze.ts";
 * import { summaryMarkdown } from "./summary_markdown.ts";
 * const md = summaryMarkdown(analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]).summary);
 * assert.match(md, /^# Lamport clock analysis\n\n\*\*Status\*\*: verified/);
 * assert.ok(md.indexOf("## Observations") < md.indexOf("## Summary Table"));
 * ```
 */
export function summaryMarkdown(s: AnalysisSummary): string {
  const L: string[] = [];
  const n = s.machines.length;
  L.push("# Lamport clock analysis", "");
  L.push(...statusLines(s));
  L.push(`Logs: ${s.files.map((f) => `\`${f}\``).join(", ")}  `);
  L.push(`Log format: ${FORMAT[s.log_schema]}  `);
  L.push(
    `Run: ${fmt(s.run.duration, 3)} s, ${s.total_events} events, ${n} machine${n > 1 ? "s" : ""}`,
    "",
  );
  L.push(`**Final Drift (max - min final_clock)**: ${s.final_drift}`, "");
  const jumps = s.machines.reduce((a, m) => a + (m.avg_jump_size ?? 0) * clockEvents(m), 0);
  const events = s.machines.reduce((a, m) => a + clockEvents(m), 0);
  L.push(`**Average Jump Size (all machines)**: ${fmt(events ? jumps / events : null)}`, "");
  L.push("## Observations", "");
  for (const o of observations(s)) L.push(`- ${o}`);
  L.push("", "## Summary Table", "");
  L.push(
    "| machine_id | clock_rate | final_clock | avg_jump_size | mean_receive_jump | max_jump | max_queue_len | mean_queue_len | SEND | RECEIVE | INTERNAL | finished |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- |",
  );
  for (const m of s.machines) {
    L.push(
      `| ${m.machine_id} | ${m.clock_rate} | ${m.final_clock} | ${fmt(m.avg_jump_size)} | ${
        fmt(m.mean_receive_jump)
      } | ${m.max_jump} | ${m.max_queue_len} | ${
        fmt(m.mean_queue_len)
      } | ${m.events.SEND} | ${m.events.RECEIVE} | ${m.events.INTERNAL} | ${finishedCell(m)} |`,
    );
  }
  L.push("", "clock_rate is in ticks per second; every column is defined under Definitions below.");
  L.push(...endSection(s.machines));
  L.push("", "## Drift over time", "");
  L.push(`- Max drift: ${s.drift.max} (first at ${fmt(s.drift.max_at, 3)} s)`);
  L.push(`- Mean drift (time-weighted): ${fmt(s.drift.mean)}`);
  L.push(
    `- Mean drift in the first / middle / last third of the run: ${
      s.drift.mean_by_third.map((x) => fmt(x)).join(" / ")
    }`,
  );
  L.push("", "## Messages", "", ...messageLines(s));
  L.push(...legacyMarkdown(s.legacy));
  L.push("", ...causalityMarkdown(s.causality));
  L.push("", "## Verification", "");
  if (s.checks.length === 0) L.push("Skipped (--no-verify).");
  for (const c of s.checks) L.push(...checkLines(c));
  L.push("", "## Links and protocol errors", "", ...linkLines(s));
  if (s.warnings.length > 0) {
    L.push("", "## Warnings", "");
    for (const w of s.warnings) L.push(`- ${w}`);
  }
  L.push("", "## Definitions", "", ...DEFINITIONS, "");
  return L.join("\n");
}

function clockEvents(m: AnalysisSummary["machines"][number]): number {
  return m.events.SEND + m.events.RECEIVE + m.events.INTERNAL;
}

function checkLines(c: CheckResult): string[] {
  if (!c.available) return [`- ${c.description}: ${c.note ?? NA}`];
  const unknown = c.unknown > 0 ? `; ${c.unknown} not decidable (fate unknown)` : "";
  if (c.failed === 0) {
    return [`- ${c.description}: holds for ${c.checked}/${c.checked}${unknown}`];
  }
  return [
    `- ${c.description}: **FAILED** for ${c.failed} of ${c.checked}${unknown}; first violations:`,
    ...c.violations.map((v) => `  - ${v}`),
  ];
}

const STATUS: Record<AnalysisSummary["status"], string> = {
  verified: "verified: every machine finished, every message is accounted for, every check held",
  failed: "**FAILED**: a check failed (see Verification)",
  incomplete: "**INCOMPLETE**: the run could not be fully checked",
  unverified: "not verified (--no-verify): the checks were skipped",
};

/** The verdict first, with the reasons a run is incomplete. */
function statusLines(s: AnalysisSummary): string[] {
  const L = [`**Status**: ${STATUS[s.status]}`, ""];
  if (s.incomplete_reasons.length > 0) {
    L.push(
      s.status === "failed"
        ? "It is also incomplete:"
        : "Not everything could be checked (the analyzer exits 3; `--allow-incomplete` exits 0):",
      "",
      ...s.incomplete_reasons.map((r) => `- ${r}`),
      "",
    );
  }
  return L;
}

type Machine = AnalysisSummary["machines"][number];

function finishedCell(m: Machine): string {
  const n = m.incarnations.length;
  if (n === 1) return m.finished ? "yes" : "**did not finish**";
  const open = m.incarnations.filter((i) => !i.finished).length;
  return open === 0 ? `yes (${n} incarnations)` : `**${open} of ${n} incarnations without END**`;
}

/**
 * "How each machine ended": restarted machines and those whose END is missing or not
 * "completed" one by one, the others in one line. Empty for logs without END reasons or
 * restarts (the original schema).
 */
function endSection(machines: Machine[]): string[] {
  const usual = (m: Machine) =>
    m.incarnations.length === 1 && m.finished && (m.end_reason ?? "completed") === "completed";
  const shown = machines.filter((m) => !usual(m));
  if (shown.length === 0 && machines.every((m) => m.end_reason === null)) return [];
  const L = ["", "## How each machine ended", ""];
  for (const m of shown) L.push(`- ${endLine(m)}`);
  const rest = machines.filter(usual);
  if (rest.length > 0) {
    const completed = rest.every((m) => m.end_reason === "completed")
      ? ' (END reason "completed")'
      : "";
    const who = rest.length === 1
      ? `${
        shown.length > 0 ? "the other" : "the"
      } machine ran as one process (no restart) and ended normally`
      : `${
        shown.length > 0 ? "the other" : rest.length === 2 ? "both" : "all"
      } ${rest.length} machines ran as one process each (no restart) and ended normally`;
    L.push(`- ${who[0].toUpperCase()}${who.slice(1)}${completed}`);
  }
  return L;
}

/** One machine's incarnations and how each ended. */
function endLine(m: Machine): string {
  const parts = m.incarnations.map((inc, i) => {
    const how = inc.finished
      ? `END${inc.end_reason ? ` ${inc.end_reason}` : ""}${
        inc.end_detail ? ` (${JSON.stringify(inc.end_detail)})` : ""
      }`
      : "**no END**";
    const at = i === 0 ? `from t=${fmt(inc.start, 3)} s` : `restarted at t=${fmt(inc.start, 3)} s`;
    return `${at}${inc.session !== null ? `, session ${inc.session}` : ""}: ${how}`;
  });
  const n = m.incarnations.length;
  return `machine ${m.machine_id}: ${n} incarnation${n > 1 ? "s" : ""}; ${parts.join("; ")}`;
}

const DEFINITIONS = [
  "- **final_clock**: the `final_clock` of the machine's END event; for a machine that did not finish, its last `new_clock`.",
  "- **Final Drift**: max − min of the final clocks over all machines.",
  "- **avg_jump_size**: mean of `new_clock − old_clock` over SEND, RECEIVE and INTERNAL events (as the original).",
  "- **mean_receive_jump**: mean of `new_clock − old_clock` over RECEIVE events only (SEND/INTERNAL always add 1 and dilute the average).",
  "- **max_jump**: largest `new_clock − old_clock` of any event.",
  "- **max_queue_len / mean_queue_len**: max and mean of `queue_len` (messages left in the queue) over RECEIVE events.",
  "- **Drift over time**: at each instant, max − min of the clocks of the machines that have started; its max, and its time-weighted mean over the run and over each third of it.",
  "- **Latency**: for each message matched by (sender, seq, recipient), RECEIVE `system_time` − SEND `system_time`.",
  "- **Queue wait**: RECEIVE `system_time` − the message's `arrival_time`: how long it waited in the receive queue.",
  "- **Incarnation**: one run of a node process; a node restarted with the same id is one machine with several incarnations, each with its own log file (see docs/restarted_nodes.md).",
  "- **LINK_UP / LINK_DOWN**: a TCP link to or from a peer came up (after the hello exchange) or went down; both ends log it.",
  "- **Conservation**: every message sent (one per SEND recipient) is received, queued at the receiver's END, or logged UNDELIVERED by the sender. A duplicate is the same (sender, seq) received twice by one machine; an orphan is a received message no SEND matches; unaccounted is none of these.",
  "- **Happened-before** (a → b): b's machine learned of a, by program order and messages; **concurrent**: neither a → b nor b → a. **Lamport ambiguity rate**: of the event pairs with L(a) < L(b), the share that are concurrent (see docs/causality.md).",
  "- **Times** are seconds since the run started (the earliest event of all logs).",
];

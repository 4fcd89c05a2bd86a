/**
 * The interactive report `analysis_report.html`: one self-contained page (no server, no
 * network: styles, data, the charts and the D3 page script are inlined) with the summary's
 * key figures, the checks, the zoomable space-time diagram of the run, and the charts.
 *
 * @module
 */
import type { Analysis } from "../analysis/analyze.ts";
import type { CheckResult } from "../analysis/checks.ts";
import { processRows } from "./process_rows.ts";
import { CLIENT_JS } from "./_client_bundle.ts";
import { reportData } from "./report_data.ts";
import { PAGE_CSS } from "./_report_css.ts";

function esc(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function int(n: number) {
  return n.toLocaleString("en-US");
}
function pct(x: number | null) {
  return (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);
}

/**
 * The page for an analysis, with `chartsSvg` (the `analysis_subplots.svg` document) inlined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { reportHtml } from "./report_html.ts";
 * const html = reportHtml(analyzeLogs(["sample_logs/original_schema"]), { chartsSvg: "<svg></svg>" });
 * assert.match(html, /not available for these logs/);
 * ```
 */
export function reportHtml(a: Analysis, options: { chartsSvg: string }): string {
  const s = a.summary, c = s.causality, store = a.causality.reportStore;
  const machines = processRows(s);
  const data = store === null ? null : reportData(store, { machines, duration: s.run.duration });
  const title = `Lamport clocks: ${s.machines.length} machines, ${
    Math.round(s.run.duration * 10) / 10
  } s`;
  const shown = data === null
    ? ""
    : data.capped
    ? `<p class="warn">This page holds the first ${data.shownTo.toFixed(1)} s of the run (${
      int(store!.count)
    } of ${
      int(c.events)
    } events: the page's limit); the figures above cover the whole run. Draw another part with <code>--window</code> in the static diagram.</p>`
    : "";
  const diagram = data === null
    ? `<p class="warn">Space-time diagram not available: ${esc(c.reason ?? "")}.</p>`
    : `<div class="controls">x axis: <button data-axis="time" class="on">seconds</button><button data-axis="lamport">Lamport time</button> <button id="reset">whole run</button> <span id="view-status"></span></div>
<p class="hint">Scroll to zoom, drag to pan. Click an event: its vector clock, its causal past (<span class="k-past">green ring</span>) and future (<span class="k-future">purple dashed ring</span>); concurrent events fade. Click an arrow: its message.</p>
<div class="plot"><svg id="spacetime-svg" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="space-time diagram"></svg></div>
<div id="info"><p>Click an event to see its causal past and future; click an arrow for its message.</p></div>
<p class="legend"><b>▲</b> SEND · <b>●</b> RECEIVE · <b>□</b> INTERNAL · solid arrow: message · dashed: still queued at the receiver's END · dotted with ×: undelivered or lost. Events are drawn one by one up to 2,500 in view (else as density), arrows up to 1,500.</p>${shown}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p class="files">${
    s.files.map((f) => `<code>${esc(f)}</code>`).join(" ")
  }</p></header>
<section id="figures"><h2>Key figures</h2>${figures(a)}</section>
<section id="checks"><h2>Checks</h2><ul>${s.checks.map(checkItem).join("")}</ul>${
    s.checks.length === 0 ? "<p>Skipped (--no-verify).</p>" : ""
  }</section>
<section id="spacetime"><h2>Space-time diagram (whole run)</h2>${diagram}</section>
<section id="charts"><h2>Charts</h2><div class="charts">${
    options.chartsSvg.replace(/^<\?xml[^>]*>/, "")
  }</div></section>
<div id="tip" hidden></div>
${
    data === null
      ? ""
      : `<script type="application/json" id="lamport-data">${
        JSON.stringify(data).replace(/</g, "\\u003c")
      }</script>
<script>${CLIENT_JS.replace(/<\/script/gi, "<\\/script")}</script>`
  }
</body>
</html>
`;
}

function figures(a: Analysis): string {
  const s = a.summary, c = s.causality, m = s.messages;
  const rows: [string, string][] = [
    [
      "Machines",
      `${s.machines.length} (rates ${s.machines.map((x) => x.clock_rate).join(", ")} /s)`,
    ],
    ["Events", int(s.total_events)],
    ["Duration", `${s.run.duration.toFixed(3)} s`],
    ["Final drift (max − min final clock)", String(s.final_drift)],
    ["Max drift", `${s.drift.max} (at ${s.drift.max_at.toFixed(3)} s)`],
  ];
  if (m !== null) {
    rows.push(
      ["Messages sent / received", `${int(m.sent)} / ${int(m.received)}`],
      [
        "Queued at END / undelivered / unaccounted",
        `${int(m.queued_at_end)} / ${int(m.undelivered)} / ${int(m.unaccounted)}`,
      ],
      [
        "Latency (mean, max)",
        m.latency ? `${duration(m.latency.mean)}, ${duration(m.latency.max)}` : "n/a",
      ],
    );
  }
  if (c.available) {
    const p = c.pairs;
    rows.push(
      [
        "Event pairs ordered / concurrent",
        `${int(p.ordered)} / ${int(p.concurrent)} (of ${int(p.total)})`,
      ],
      [
        "Lamport ambiguity rate",
        `${pct(c.lamport_ambiguity_rate)} of the pairs with L(a) < L(b) are concurrent`,
      ],
      ...c.machine_pairs.slice(0, 10).map((x): [string, string] => [
        `Concurrent, machines ${x.machines[0]} – ${x.machines[1]}`,
        `${pct(x.rate)} of ${int(x.pairs)} pairs`,
      ]),
    );
  } else rows.push(["Happened-before", `not available: ${c.reason}`]);
  return `<table>${
    rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")
  }</table>`;
}

/** Milliseconds below 10 s, seconds above. */
function duration(seconds: number): string {
  return seconds < 10 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(2)} s`;
}

function checkItem(c: CheckResult): string {
  if (!c.available) return `<li class="na">${esc(c.description)}: ${esc(c.note ?? "")}</li>`;
  if (c.failed === 0) {
    return `<li class="ok">${esc(c.description)}: holds for ${c.checked}/${c.checked}</li>`;
  }
  return `<li class="bad">${esc(c.description)}: FAILED for ${c.failed} of ${c.checked}<ul>${
    c.violations.map((v) => `<li>${esc(v)}</li>`).join("")
  }</ul></li>`;
}

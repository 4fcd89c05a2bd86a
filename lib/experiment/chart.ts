/**
 * `experiment.svg`: six metrics, one panel each. By scenario: every trial's value as a dot,
 * the mean as a bar and its 95% confidence interval as a whisker. For a sweep: the metric
 * against the swept value, a line through the means with the interval as a band, one colour
 * per base scenario. The drift-growth panel adds the model's prediction for every trial
 * (hollow diamonds) or its mean (dashed line). D3 on a linkedom document, as the analyzer's
 * charts; the PNG is made by the analyzer's `svgToPng`.
 *
 * @module
 */
// @ts-types="npm:@types/d3-selection@^3.0.11"
import { type BaseType, select, type Selection } from "d3-selection";
// @ts-types="npm:@types/d3-scale@^4.0.9"
import { type ScaleLinear, scaleLinear, scalePoint } from "d3-scale";
// @ts-types="npm:@types/d3-shape@^3.1.7"
import { area, line } from "d3-shape";
// @ts-types="npm:@types/d3-axis@^3.0.6"
import { axisBottom, axisLeft } from "d3-axis";
// @ts-types="npm:@types/d3-scale-chromatic@^3.1.0"
import { schemeTableau10 } from "d3-scale-chromatic";
import { DOMParser } from "linkedom";
import type { ExperimentDoc, ScenarioRecord } from "./aggregate.ts";
import type { MetricId } from "./figures.ts";
import { experimentShape } from "./format.ts";

/** The metrics drawn, in panel order (left to right, top to bottom). */
export const CHART_METRICS: MetricId[] = [
  "final_drift",
  "mean_drift",
  "mean_receive_jump",
  "max_queue_slowest",
  "queued_at_end",
  "drift_growth",
];

type G = Selection<BaseType, unknown, null, undefined>;
type Y = ScaleLinear<number, number>;

const W = 1100, PANEL_W = 550, PANEL_H = 270, TOP = 76;
const M = { left: 64, right: 18, top: 30, bottom: 58 };
const PW = PANEL_W - M.left - M.right, PH = PANEL_H - M.top - M.bottom;
const SVG_NS = "http://www.w3.org/2000/svg";
function r1(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * Draws the experiment's chart as a standalone SVG document.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { parseExperimentArgs } from "../cli/experiment_args.ts";
 * import { experimentDoc } from "./aggregate.ts";
 * import { trialFigures } from "./figures.ts";
 * import { trialSpecs } from "./plan.ts";
 * // Two trials made of the sample run's figures (rates 3, 6, 1; final drift 122).
 * const { plan } = parseExperimentArgs(["--seed", "1", "--trials", "2", "--scenario", "a"]);
 * const summary = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]).summary;
 * const f = trialFigures(summary, { duration: 60, dieSides: 10 });
 * const doc = experimentDoc(plan, { specs: trialSpecs(plan), figures: [f, f] });
 * import { experimentChart } from "./chart.ts";
 * const svg = experimentChart(doc);
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes("time-weighted mean drift"));
 * ```
 */
export function experimentChart(doc: ExperimentDoc): string {
  const rows = Math.ceil(CHART_METRICS.length / 2);
  const height = TOP + rows * PANEL_H + 10;
  const parsed = new DOMParser().parseFromString(`<svg xmlns="${SVG_NS}"></svg>`, "image/svg+xml");
  const svg = select(parsed.documentElement as unknown as BaseType)
    .attr("width", W).attr("height", height).attr("viewBox", `0 0 ${W} ${height}`)
    .attr("font-family", "DejaVu Sans, sans-serif").attr("font-size", 12);
  svg.append("rect").attr("width", W).attr("height", height).attr("fill", "white");
  const s0 = doc.scenarios[0].settings;
  const shape = experimentShape({
    scenarios: doc.scenarios.length,
    trials: doc.trials,
    duration: s0.duration,
    count: s0.count,
    sweep: doc.sweep,
  });
  svg.append("text").attr("x", W / 2).attr("y", 26).attr("text-anchor", "middle")
    .attr("font-size", 18).attr("font-weight", "bold")
    .text(`Experiment: ${shape} (${doc.mode}, seed ${doc.seed})`);
  legend(svg.append("g").attr("transform", `translate(${W / 2 - 300},${48})`), doc);
  CHART_METRICS.forEach((id, i) => {
    const g = svg.append("g").attr(
      "transform",
      `translate(${(i % 2) * PANEL_W + M.left},${TOP + Math.floor(i / 2) * PANEL_H + M.top})`,
    );
    const meta = doc.metrics.find((m) => m.id === id)!;
    g.append("text").attr("x", PW / 2).attr("y", -10).attr("text-anchor", "middle")
      .attr("font-size", 14).attr("font-weight", "bold").text(meta.label);
    g.append("text").attr("transform", `translate(-48,${PH / 2})rotate(-90)`)
      .attr("text-anchor", "middle").text(meta.unit);
    if (doc.sweep) sweepPanel(g, doc, id);
    else scenarioPanel(g, doc, id);
  });
  return String(parsed.documentElement.outerHTML) + "\n";
}

function legend(g: G, doc: ExperimentDoc): void {
  const items: [string, (x: G) => void][] = [
    ["trial", (x) => x.append("circle").attr("r", 4).attr("fill", "#888888")],
    [
      doc.sweep ? "mean (line)" : "mean",
      (x) => x.append("path").attr("d", "M-9,0H9").attr("stroke", "#222").attr("stroke-width", 3),
    ],
    [
      "95% CI (Student t)",
      (x) =>
        doc.sweep
          ? x.append("rect").attr("x", -9).attr("y", -6).attr("width", 18).attr("height", 12)
            .attr("fill", "#4e79a7").attr("opacity", 0.2)
          : x.append("path").attr("d", "M0,-7V7M-4,-7H4M-4,7H4").attr("stroke", "#222")
            .attr("stroke-width", 1.5),
    ],
    [
      "predicted (drift growth)",
      (x) =>
        doc.sweep
          ? x.append("path").attr("d", "M-9,0H9").attr("stroke", "#111111")
            .attr("stroke-width", 1.5).attr("stroke-dasharray", "5,4")
          : x.append("path").attr("d", "M0,-5L5,0L0,5L-5,0Z").attr("fill", "none")
            .attr("stroke", "#111111").attr("stroke-width", 1.5),
    ],
  ];
  items.forEach(([text, draw], i) => {
    const item = g.append("g").attr("transform", `translate(${i * 150},0)`);
    draw(item);
    item.append("text").attr("x", 14).attr("y", 4).text(text);
  });
}

function yScale(values: number[]): Y {
  const lo = Math.min(0, ...values), hi = Math.max(1e-9, ...values);
  return scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).range([PH, 0]).nice(6);
}

function frame(g: G, y: Y, xAxis: (a: G) => void): void {
  g.append("path").attr("stroke", "#e3e3e3").attr("fill", "none")
    .attr("d", y.ticks(6).map((d) => `M0,${r1(y(d))}H${PW}`).join(""));
  g.append("rect").attr("width", PW).attr("height", PH).attr("fill", "none").attr("stroke", "#888");
  const ay = g.append("g").call(axisLeft(y).ticks(6));
  const ax = g.append("g").attr("transform", `translate(0,${PH})`);
  xAxis(ax);
  for (const a of [ax, ay]) {
    a.attr("font-family", null).attr("font-size", 11);
    a.selectAll(".domain").remove();
  }
}

/** The values of `id` (and its prediction) of a scenario's trials. */
function trialValues(s: ScenarioRecord, id: MetricId): { v: number; p: number | null }[] {
  return s.trials.flatMap((t) => {
    const v = t.metrics[id];
    const p = id === "drift_growth" ? t.metrics.predicted_drift_growth : null;
    return v === null ? [] : [{ v, p }];
  });
}

function allValues(doc: ExperimentDoc, id: MetricId): number[] {
  return doc.scenarios.flatMap((s) => {
    const st = s.stats[id];
    const ci = st && st.low !== null ? [st.low, st.high!] : [];
    return [...trialValues(s, id).flatMap((t) => (t.p === null ? [t.v] : [t.v, t.p])), ...ci];
  });
}

function scenarioPanel(g: G, doc: ExperimentDoc, id: MetricId): void {
  const names = doc.scenarios.map((s) => s.name);
  const x = scalePoint<string>().domain(names).range([0, PW]).padding(0.5);
  const step = x.step();
  const y = yScale(allValues(doc, id));
  frame(g, y, (a) => {
    a.call(axisBottom(x).tickSizeOuter(0));
    if (names.length > 4 || Math.max(...names.map((n) => n.length)) * 7 > step) {
      a.selectAll("text").attr("text-anchor", "end").attr("transform", "rotate(-30)")
        .attr("dx", "-0.4em").attr("dy", "0.6em");
    }
  });
  doc.scenarios.forEach((s, i) => {
    const cx = x(s.name)!;
    const colour = schemeTableau10[i % 10];
    const values = trialValues(s, id);
    const spread = Math.min(step * 0.5, 60);
    values.forEach((t, k) => {
      const dx = values.length > 1 ? (k / (values.length - 1) - 0.5) * spread : 0;
      g.append("circle").attr("cx", r1(cx + dx)).attr("cy", r1(y(t.v))).attr("r", 4)
        .attr("fill", colour).attr("opacity", 0.7);
      if (t.p !== null) {
        const px = r1(cx + dx), py = r1(y(t.p));
        g.append("path").attr(
          "d",
          `M${px},${py - 5}L${px + 5},${py}L${px},${py + 5}L${px - 5},${py}Z`,
        )
          .attr("fill", "none").attr("stroke", "#111111").attr("stroke-width", 1.5);
      }
    });
    const st = s.stats[id];
    if (st === null) return;
    const half = Math.min(step * 0.35, 45);
    g.append("path").attr("d", `M${r1(cx - half)},${r1(y(st.mean))}H${r1(cx + half)}`)
      .attr("stroke", "#222").attr("stroke-width", 3);
    if (st.low !== null) {
      const lo = r1(y(st.low)), hi = r1(y(st.high!)), c = r1(cx);
      g.append("path").attr(
        "d",
        `M${c},${lo}V${hi}M${c - 6},${lo}H${c + 6}M${c - 6},${hi}H${c + 6}`,
      )
        .attr("stroke", "#222").attr("stroke-width", 1.5).attr("fill", "none");
    }
  });
}

function sweepPanel(g: G, doc: ExperimentDoc, id: MetricId): void {
  const values = doc.sweep!.values;
  const x = scaleLinear().domain([values[0], values.at(-1)! + (values.length > 1 ? 0 : 1)])
    .range([0, PW]).nice();
  const y = yScale(allValues(doc, id));
  frame(g, y, (a) => {
    a.call(axisBottom(x).ticks(8));
    a.append("text").attr("x", PW / 2).attr("y", 38).attr("fill", "#222")
      .attr("text-anchor", "middle").attr("font-size", 12).text(doc.sweep!.flag);
  });
  const bases = [...new Set(doc.scenarios.map((s) => s.sweep_base ?? s.name))];
  bases.forEach((base, b) => {
    const colour = schemeTableau10[b % 10];
    const points = doc.scenarios.filter((s) => (s.sweep_base ?? s.name) === base);
    const stats = points.flatMap((s) => {
      const st = s.stats[id];
      return st === null ? [] : [{ x: s.sweep_value!, st, pred: s.stats.predicted_drift_growth }];
    });
    const band = area<(typeof stats)[number]>().x((d) => x(d.x))
      .y0((d) => y(d.st.low ?? d.st.mean)).y1((d) => y(d.st.high ?? d.st.mean)).digits(1);
    g.append("path").attr("d", band(stats) ?? "").attr("fill", colour).attr("opacity", 0.18);
    const through = line<(typeof stats)[number]>().x((d) => x(d.x)).y((d) => y(d.st.mean)).digits(
      1,
    );
    g.append("path").attr("d", through(stats) ?? "").attr("fill", "none").attr("stroke", colour)
      .attr("stroke-width", 2.5);
    if (id === "drift_growth") {
      const pred = line<(typeof stats)[number]>().x((d) => x(d.x)).y((d) => y(d.pred?.mean ?? 0))
        .digits(1);
      g.append("path").attr("d", pred(stats) ?? "").attr("fill", "none").attr("stroke", "#111111")
        .attr("stroke-width", 1.5).attr("stroke-dasharray", "5,4");
    }
    for (const s of points) {
      for (const t of trialValues(s, id)) {
        g.append("circle").attr("cx", r1(x(s.sweep_value!))).attr("cy", r1(y(t.v))).attr("r", 3)
          .attr("fill", colour).attr("opacity", 0.55);
      }
    }
    if (bases.length > 1) {
      g.append("text").attr("x", PW - 6).attr("y", 16 + b * 15).attr("text-anchor", "end")
        .attr("fill", colour).attr("font-weight", "bold").text(base);
    }
  });
}

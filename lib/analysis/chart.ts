/**
 * Stacked time-series charts as SVG (D3 on a linkedom document; `png.ts` rasterises them).
 *
 * Panels share one x axis (seconds since the run started); each series keeps its colour, dash
 * and mark (by index, colour-blind safe: `_chart_style.ts`) across panels. A panel with more
 * than 10 series draws the min–max band and the median over them plus the extreme series
 * (`_chart_band.ts`), and says so in its legend. Series are expected to be downsampled already
 * (see `PixelSeries` in `downsample.ts`, with `columns` = {@link plotWidth}).
 *
 * @module
 */
// @ts-types="npm:@types/d3-selection@^3.0.11"
import { type BaseType, select, type Selection } from "d3-selection";
// @ts-types="npm:@types/d3-scale@^4.0.9"
import { type ScaleLinear, scaleLinear } from "d3-scale";
// @ts-types="npm:@types/d3-axis@^3.0.6"
import { axisBottom, axisLeft } from "d3-axis";
import { DOMParser } from "linkedom";
import type { ChartPanel } from "./_chart_types.ts";
import { drawSeries } from "./_chart_series.ts";
import { r1 } from "./_format.ts";

export type { ChartPanel, ChartSeries } from "./_chart_types.ts";

/** Options of {@link renderSvg}. */
export interface RenderOptions {
  /** Title above all panels. */
  title?: string;
  /** Image width in pixels (default 1000). */
  width?: number;
  /** Height of each panel in pixels (default 240). */
  panelHeight?: number;
  /** X axis label (default "time since run start (s)"). */
  xLabel?: string;
  /** X domain; default [min(0, earliest t), latest t]. */
  xDomain?: [number, number];
}

const FONT = "DejaVu Sans, sans-serif";
const LEFT = 72;
const RIGHT = 200;
const PANEL_TITLE = 26;
const PANEL_AXIS = 24;
const SVG_NS = "http://www.w3.org/2000/svg";

type G = Selection<BaseType, unknown, null, undefined>;

/**
 * Width in pixels of the plot area for a chart `width` pixels wide: use it as the
 * `columns` of `PixelSeries` so there is one column per pixel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plotWidth } from "./chart.ts";
 * assert.equal(plotWidth(1000), 728);
 * ```
 */
export function plotWidth(width = 1000): number {
  return Math.max(1, Math.round(width) - LEFT - RIGHT);
}

function fail(what: string, value: unknown): never {
  throw new RangeError(`Cannot render the chart as ${what}: current value is ${value}`);
}

/**
 * Renders stacked panels sharing one x axis as a standalone SVG document (DejaVu Sans,
 * white background, grid lines, a legend per panel, "no data" in an empty panel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./chart.ts";
 * const svg = renderSvg([{
 *   title: "Lamport clock vs time", yLabel: "clock", mode: "step",
 *   series: [{ name: "machine 1 (rate 3/s)", t: new Float64Array([0, 1, 2]), v: new Float64Array([1, 2, 5]) }],
 * }], { title: "Run 1" });
 * assert.match(svg, /^<svg [^>]*viewBox="0 0 1000 320"/);
 * assert.match(svg, />Lamport clock vs time</);
 * ```
 */
export function renderSvg(panels: ChartPanel[], options: RenderOptions = {}): string {
  if (!Array.isArray(panels) || panels.length === 0) {
    fail("it needs at least one panel", Array.isArray(panels) ? "no panel" : typeof panels);
  }
  const width = options.width ?? 1000;
  const panelHeight = options.panelHeight ?? 240;
  if (!Number.isInteger(width) || width < LEFT + RIGHT + 100) {
    fail(`width must be an integer >= ${LEFT + RIGHT + 100}`, width);
  }
  if (!Number.isInteger(panelHeight) || panelHeight < 120) {
    fail("panelHeight must be an integer >= 120", panelHeight);
  }
  for (const p of panels) {
    for (const s of p.series) {
      if (s.t.length !== s.v.length) {
        fail(
          `series "${s.name}" of panel "${p.title}" must have one value per time (${s.t.length})`,
          `${s.v.length} values`,
        );
      }
    }
  }
  const top = options.title ? 40 : 10;
  const height = top + panels.length * panelHeight + 40;
  const pw = plotWidth(width);
  const ph = panelHeight - PANEL_TITLE - PANEL_AXIS;
  const x = scaleLinear().domain(options.xDomain ?? xExtent(panels)).range([0, pw]);

  const doc = new DOMParser().parseFromString(`<svg xmlns="${SVG_NS}"></svg>`, "image/svg+xml");
  const svg = select(doc.documentElement as unknown as BaseType)
    .attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`)
    .attr("font-family", FONT).attr("font-size", 12);
  svg.append("rect").attr("width", width).attr("height", height).attr("fill", "white");
  if (options.title) {
    svg.append("text").attr("x", width / 2).attr("y", 26).attr("text-anchor", "middle")
      .attr("font-size", 18).attr("font-weight", "bold").text(options.title);
  }
  panels.forEach((panel, i) => {
    const g = svg.append("g").attr("class", "panel")
      .attr("transform", `translate(${LEFT},${top + i * panelHeight + PANEL_TITLE})`);
    drawPanel(g, panel, { x, pw, ph, index: i });
  });
  svg.append("text").attr("class", "x-label").attr("x", LEFT + pw / 2).attr("y", height - 10)
    .attr("text-anchor", "middle").attr("font-size", 13).text(
      options.xLabel ?? "time since run start (s)",
    );
  return String(doc.documentElement.outerHTML) + "\n";
}

function xExtent(panels: ChartPanel[]): [number, number] {
  let lo = 0;
  let hi = -Infinity;
  for (const p of panels) {
    for (const s of p.series) {
      for (let k = 0; k < s.t.length; k++) {
        const t = s.t[k];
        if (!Number.isFinite(t)) continue;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
    }
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

function yExtent(panel: ChartPanel): [number, number] | null {
  let lo = 0;
  let hi = 0;
  let any = false;
  for (const s of panel.series) {
    for (let k = 0; k < s.v.length; k++) {
      const v = s.v[k];
      if (!Number.isFinite(v) || !Number.isFinite(s.t[k])) continue;
      any = true;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!any) return null;
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/**
 * Integer ticks from `lo` to `hi`: every 1, 2, 5, 10, 20, …, the smallest step that makes at
 * most `most` intervals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integerTicks } from "./chart.ts";
 * assert.deepEqual(integerTicks(0, 2, 6), [0, 1, 2]);
 * assert.deepEqual(integerTicks(-3, 9, 6), [-2, 0, 2, 4, 6, 8]);
 * assert.deepEqual(integerTicks(0, 300, 6), [0, 50, 100, 150, 200, 250, 300]);
 * ```
 */
export function integerTicks(lo: number, hi: number, most: number): number[] {
  const span = Math.max(1, hi - lo);
  let step = 1;
  for (let p = 1; step * most < span; p *= 10) {
    step = [1, 2, 5].map((m) => m * p).find((s) => s * most >= span) ?? 10 * p;
  }
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
  return out;
}

function drawPanel(
  g: G,
  panel: ChartPanel,
  o: { x: ScaleLinear<number, number>; pw: number; ph: number; index: number },
): void {
  const { x, pw, ph } = o;
  const extent = yExtent(panel);
  const y = scaleLinear().range([ph, 0]);
  let yTicks: number[];
  if (panel.integer) {
    const lo = Math.floor(extent?.[0] ?? 0), hi = Math.max(lo + 1, Math.ceil(extent?.[1] ?? 1));
    // Points get half a unit of room above and below (their marks are shifted per series).
    y.domain(panel.mode === "points" ? [lo - 0.5, hi + 0.5] : [lo, hi]);
    // Point rows get a grid line each when there are few (a jump of 1, 2, 3 …).
    yTicks = integerTicks(lo, hi, panel.mode === "points" ? 10 : 6);
  } else {
    y.domain(extent ?? [0, 1]).nice(6);
    yTicks = y.ticks(6);
  }
  const xTicks = x.ticks(Math.max(2, Math.round(pw / 90)));
  // Grid lines, one path each way.
  g.append("path").attr("class", "grid").attr("stroke", "#e3e3e3").attr("fill", "none")
    .attr(
      "d",
      xTicks.map((d) => `M${r1(x(d))},0V${ph}`).join("") +
        yTicks.map((d) => `M0,${r1(y(d))}H${pw}`).join(""),
    );
  g.append("text").attr("class", "panel-title").attr("x", pw / 2).attr("y", -9)
    .attr("text-anchor", "middle").attr("font-size", 14).attr("font-weight", "bold")
    .text(panel.title);
  g.append("text").attr("class", "y-label").attr("transform", `translate(-52,${ph / 2})rotate(-90)`)
    .attr("text-anchor", "middle").attr("font-size", 12).text(panel.yLabel);
  const ax = g.append("g").attr("class", "x-axis").attr("transform", `translate(0,${ph})`)
    .call(axisBottom(x).tickValues(xTicks));
  ax.selectAll<BaseType, number>(".tick").attr("transform", (d) => `translate(${r1(x(d))},0)`);
  // Large values in SI form ("2.5M") so labels stay narrower than the left margin.
  const big = Math.max(...y.domain().map(Math.abs)) >= 100_000;
  const yFormat = y.tickFormat(6, big ? "~s" : panel.integer ? "d" : undefined);
  const ay = g.append("g").attr("class", "y-axis")
    .call(axisLeft(y).tickValues(yTicks).tickFormat((d) => d === 0 ? "0" : yFormat(d)));
  ay.selectAll<BaseType, number>(".tick").attr("transform", (d) => `translate(0,${r1(y(d))})`);
  for (const a of [ax, ay]) {
    a.attr("font-family", null).attr("font-size", 11);
    a.selectAll(".domain").remove();
  }
  g.append("rect").attr("width", pw).attr("height", ph).attr("fill", "none")
    .attr("stroke", "#888");
  const clipId = `plot-clip-${o.index}`;
  g.append("clipPath").attr("id", clipId).append("rect").attr("x", -4).attr("y", -4)
    .attr("width", pw + 8).attr("height", ph + 8);
  const plot = g.append("g").attr("class", "plot").attr("clip-path", `url(#${clipId})`);
  if (extent === null) {
    g.append("text").attr("class", "no-data").attr("x", pw / 2).attr("y", ph / 2)
      .attr("text-anchor", "middle").attr("dominant-baseline", "middle").attr("font-size", 16)
      .attr("fill", "#777").text("no data");
  }
  drawSeries(g, plot, panel, { x, y, pw });
}

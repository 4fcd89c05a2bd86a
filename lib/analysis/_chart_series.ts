/**
 * Draws a panel's series and legend: one by one (colour, dash, mark per series) up to
 * {@link MAX_SERIES}, else the min–max band and median over them plus the extreme series.
 *
 * @module
 */
// @ts-types="npm:@types/d3-selection@^3.0.11"
import type { BaseType, Selection } from "d3-selection";
// @ts-types="npm:@types/d3-scale@^4.0.9"
import type { ScaleLinear } from "d3-scale";
// @ts-types="npm:@types/d3-shape@^3.1.7"
import { curveStepAfter, line } from "d3-shape";
import type { ChartPanel, ChartSeries } from "./_chart_types.ts";
import { seriesColour, seriesDash, seriesHollow, seriesMark } from "./_chart_style.ts";
import { bandOf, extremeSeries, MAX_SERIES } from "./_chart_band.ts";
import { r1 } from "./_format.ts";

type G = Selection<BaseType, unknown, null, undefined>;

/**
 * Draws `panel`'s series into `plot` and its legend into `g` (right of the plot).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DOMParser } from "linkedom";
 * import { type BaseType, select } from "d3-selection";
 * import { scaleLinear } from "d3-scale";
 * import { drawSeries } from "./_chart_series.ts";
 * const doc = new DOMParser().parseFromString(
 *   '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
 *   "image/svg+xml",
 * );
 * const g = select(doc.documentElement as unknown as BaseType).append("g");
 * const series = { name: "machine 1", t: Float64Array.of(0, 1), v: Float64Array.of(0, 2) };
 * drawSeries(g, g.append("g"), { title: "clock", yLabel: "c", mode: "step", series: [series] }, {
 *   x: scaleLinear().domain([0, 1]).range([0, 100]),
 *   y: scaleLinear().domain([0, 2]).range([50, 0]),
 *   pw: 100,
 * });
 * assert.equal(g.select("path.series").attr("d"), "M0,50L100,50L100,0");
 * assert.equal(g.select(".legend-item text").text(), "machine 1");
 * ```
 */
export function drawSeries(
  g: G,
  plot: G,
  panel: ChartPanel,
  o: { x: ScaleLinear<number, number>; y: ScaleLinear<number, number>; pw: number },
): void {
  const { x, y, pw } = o;
  const many = panel.series.length > MAX_SERIES;
  const drawn: [ChartSeries, number, string][] = many
    ? extremeSeries(panel.series, panel.mode).map(([i, why]) => [panel.series[i], i, why])
    : panel.series.map((s, i) => [s, i, ""]);
  const legend: ((item: G) => void)[] = [];
  const names: string[] = [];
  if (many) {
    const b = bandOf(panel.series, {
      mode: panel.mode,
      domain: x.domain() as [number, number],
      columns: Math.ceil(pw / (panel.mode === "points" ? 8 : 2)),
    });
    const cols = [...b.t.keys()].filter((k) => Number.isFinite(b.lo[k]));
    const pt = (k: number, v: Float64Array) => `${r1(x(b.t[k]))},${r1(y(v[k]))}`;
    if (cols.length > 0) {
      plot.append("path").attr("class", "band").attr("fill", "#c9d6e3").attr("stroke", "none").attr(
        "d",
        `M${cols.map((k) => pt(k, b.hi)).join("L")}L${
          cols.reverse().map((k) => pt(k, b.lo)).join("L")
        }Z`,
      );
      cols.reverse();
      plot.append("path").attr("class", "median").attr("fill", "none").attr("stroke", "#333")
        .attr("stroke-width", 1.5).attr("d", `M${cols.map((k) => pt(k, b.mid)).join("L")}`);
    }
    legend.push((g) =>
      g.append("rect").attr("y", -6).attr("width", 20).attr("height", 12).attr("fill", "#c9d6e3")
    );
    names.push(`min–max band\n(all ${panel.series.length} machines)`);
    legend.push((g) =>
      g.append("path").attr("d", "M0,0H20").attr("stroke", "#333").attr("stroke-width", 2)
    );
    names.push("median over them");
  }
  // Integer points: shift each series' marks a little so equal values stay visible.
  const perUnit = Math.abs(y(1) - y(0)), nDrawn = drawn.length;
  const shift = panel.integer && panel.mode === "points" && nDrawn > 1
    ? Math.min(5, (0.8 * perUnit) / (nDrawn - 1))
    : 0;
  drawn.forEach(([s, i, why], j) => {
    const c = seriesColour(i), dash = seriesDash(i);
    const dy = shift * (j - (nDrawn - 1) / 2);
    const idx: number[] = [];
    for (let k = 0; k < s.t.length; k++) {
      if (Number.isFinite(s.t[k]) && Number.isFinite(s.v[k])) idx.push(k);
    }
    if (idx.length > 0) {
      const path = plot.append("path").attr("class", "series").attr("stroke", c)
        .attr("data-name", s.name);
      if (panel.mode === "step") {
        const step = line<number>().x((k) => x(s.t[k])).y((k) => y(s.v[k]))
          .curve(curveStepAfter).digits(1);
        path.attr("fill", "none").attr("stroke-width", 1.5).attr("stroke-linejoin", "round")
          .attr("stroke-dasharray", dash || null).attr("d", step(idx) ?? "");
      } else {
        path.attr("fill", seriesHollow(i) ? "white" : c).attr("stroke-width", 1).attr(
          "opacity",
          0.85,
        )
          .attr("d", idx.map((k) => seriesMark(i, x(s.t[k]), y(s.v[k]) + dy, 2.6)).join(""));
      }
    }
    legend.push((g) => {
      if (panel.mode === "step") {
        g.append("path").attr("d", "M0,0H20").attr("stroke", c).attr("stroke-width", 2.5)
          .attr("stroke-dasharray", dash || null);
      } else {
        g.append("path").attr("d", seriesMark(i, 10, 0, 4)).attr("stroke", c)
          .attr("fill", seriesHollow(i) ? "white" : c);
      }
    });
    names.push(why ? `${s.name}\n(${why})` : s.name);
  });
  let ly = 8;
  legend.forEach((draw, i) => {
    const item = g.append("g").attr("class", "legend-item")
      .attr("transform", `translate(${pw + 14},${ly})`);
    draw(item);
    const [first, second] = names[i].split("\n");
    item.append("text").attr("x", 26).attr("y", 4).attr("font-size", 12).text(first);
    if (second) {
      item.append("text").attr("x", 26).attr("y", 18).attr("font-size", 11).attr("fill", "#444")
        .text(second);
    }
    ly += second ? 32 : 18;
  });
  if (panel.note) {
    const note = g.append("text").attr("class", "panel-note").attr("x", pw + 14)
      .attr("y", ly + 8).attr("font-size", 10.5).attr("fill", "#555");
    wrap(panel.note, 29).forEach((text, n) => {
      note.append("tspan").attr("x", pw + 14).attr("dy", n === 0 ? 0 : 13).text(text);
    });
  }
}

/** `text` in lines of at most `width` characters (words kept whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) (lines.push(line), line = word);
    else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * The static space-time diagram (`analysis_spacetime.svg`/`.png`): one horizontal line per
 * machine, SEND/RECEIVE/INTERNAL marks of different shapes, an arrow per message (queued,
 * undelivered and lost ones drawn differently), Lamport values where they fit; over a window
 * of the run, x in seconds since the start or in Lamport time.
 *
 * @module
 */
// @ts-types="npm:@types/d3-selection@^3.0.11"
import { type BaseType, select, type Selection } from "d3-selection";
// @ts-types="npm:@types/d3-scale@^4.0.9"
import { scaleLinear } from "d3-scale";
// @ts-types="npm:@types/d3-axis@^3.0.6"
import { axisBottom } from "d3-axis";
import { DOMParser } from "linkedom";
import type { EventStore } from "../causality/event_store.ts";
import { type ProcessRow, rowsNoun } from "./process_rows.ts";
import { describeWindow, SPACETIME_ROWS, type TimeWindow } from "../causality/window.ts";
import {
  crossPath,
  KIND_INTERNAL,
  KIND_RECEIVE,
  KIND_SEND,
  KIND_STYLE,
  markPath,
  OUTCOME_LOST,
  OUTCOME_QUEUED,
  OUTCOME_RECEIVED,
  OUTCOME_STYLE,
  OUTCOME_UNDELIVERED,
  r1,
} from "./marks.ts";

/** What the diagram shows. */
export interface SpacetimeInput {
  /** One entry per log (process), in the store's process order. */
  machines: ProcessRow[];
  /** Events and messages of the window. */
  store: EventStore;
  /** The window, and whether the user chose it (`--window`). */
  window: TimeWindow & { chosen: boolean };
  /** Length of the whole run, seconds. */
  duration: number;
  /** x axis: seconds since the start, or Lamport values. */
  axis: "time" | "lamport";
}

/** Options of {@link renderSpacetimeSvg}. */
export interface SpacetimeOptions {
  /** Image width in pixels (default 1400). */
  width?: number;
  /** Most machine lines drawn (default {@link SPACETIME_ROWS}; the lowest ids). */
  maxRows?: number;
}

type G = Selection<BaseType, unknown, null, undefined>;
const FONT = "DejaVu Sans, sans-serif";
const SVG_NS = "http://www.w3.org/2000/svg";
const LEFT = 150, RIGHT = 40, TOP = 74, BOTTOM = 118, R = 5;

/**
 * Renders the diagram as a standalone SVG document.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventStore } from "../causality/event_store.ts";
 * import { renderSpacetimeSvg } from "./spacetime_svg.ts";
 * const store = new EventStore({ start: 0, from: 0, to: 10 });
 * store.event(0, { kind: 1, index: 0, lamport: 1, time: 1, line: 2, seq: 1, sender: -1 });
 * const svg = renderSpacetimeSvg({
 *   machines: [{ id: 1, rate: 1, name: "machine 1" }], store, window: { from: 0, to: 10, chosen: false },
 *   duration: 60, axis: "time",
 * });
 * assert.match(svg, /first 10 s of a 60 s run/);
 * ```
 */
export function renderSpacetimeSvg(input: SpacetimeInput, options: SpacetimeOptions = {}): string {
  const { store, machines } = input;
  const width = options.width ?? 1400;
  const order = machines.map((m, p) => ({ ...m, p })).sort((a, b) => a.id - b.id || a.p - b.p)
    .slice(0, options.maxRows ?? SPACETIME_ROWS);
  const rowOf = new Int32Array(machines.length).fill(-1);
  order.forEach((m, row) => rowOf[m.p] = row);
  const rowH = Math.max(30, Math.min(96, Math.round(560 / order.length)));
  const height = TOP + order.length * rowH + BOTTOM;
  const pw = width - LEFT - RIGHT;
  const lamport = input.axis === "lamport";
  const xOf = (i: number) => (lamport ? store.lamport(i) : store.time(i));
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < store.count; i++) {
    if (rowOf[store.process(i)] < 0) continue;
    lo = Math.min(lo, xOf(i));
    hi = Math.max(hi, xOf(i));
  }
  const domain: [number, number] = lamport
    ? (lo <= hi ? [lo - 0.5, hi + 0.5] : [0, 1])
    : [input.window.from, Math.max(input.window.to, input.window.from + 1e-3)];
  const x = scaleLinear().domain(domain).range([0, pw]);
  const yOf = (p: number) => TOP + rowOf[p] * rowH + rowH / 2;

  const doc = new DOMParser().parseFromString(`<svg xmlns="${SVG_NS}"></svg>`, "image/svg+xml");
  const svg = select(doc.documentElement as unknown as BaseType)
    .attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`)
    .attr("font-family", FONT).attr("font-size", 12);
  svg.append("rect").attr("width", width).attr("height", height).attr("fill", "white");
  const shown = counts(store, rowOf);
  svg.append("text").attr("class", "title").attr("x", width / 2).attr("y", 28)
    .attr("text-anchor", "middle").attr("font-size", 18).attr("font-weight", "bold")
    .text(`Space-time diagram: ${
      describeWindow(input.window, {
        duration: input.duration,
        cutAt: store.capped ? store.to : null,
      })
    }`);
  svg.append("text").attr("x", width / 2).attr("y", 50).attr("text-anchor", "middle")
    .attr("font-size", 13).attr("fill", "#333").text(
      `${order.length} of ${machines.length} ${
        rowsNoun(machines)
      }, ${shown.events} events, ${shown.messages} messages; x: ${
        lamport ? "Lamport time" : "seconds since the run started"
      }${input.window.chosen ? "" : " (choose the window with --window START:END)"}`,
    );
  const plot = svg.append("g").attr("transform", `translate(${LEFT},0)`);
  drawAxis(plot, x, { pw, top: TOP, bottom: TOP + order.length * rowH, lamport });
  for (const m of order) {
    const y = yOf(m.p);
    plot.append("path").attr("class", "machine-line").attr("d", `M0,${y}H${pw}`)
      .attr("stroke", "#222").attr("stroke-width", 1.2);
    svg.append("text").attr("class", "machine-label").attr("x", LEFT - 12).attr("y", y + 4)
      .attr("text-anchor", "end").attr("font-size", 13)
      .text(`${m.name}${Number.isFinite(m.rate) ? ` · ${m.rate}/s` : ""}`);
  }
  plot.append("clipPath").attr("id", "spacetime-clip").append("rect").attr("x", -R - 2)
    .attr("y", 0).attr("width", pw + 2 * R + 4).attr("height", height);
  const body = plot.append("g").attr("clip-path", "url(#spacetime-clip)");
  const w = input.window,
    inside = (t: number) => t >= w.from && t <= (store.capped ? store.to : w.to);
  drawMessages(body, store, { x, yOf, rowOf, lamport, inside });
  drawEvents(body, store, { x: (i) => x(xOf(i)), yOf, rowOf, rowH });
  drawLegend(svg, { x: LEFT, y: height - BOTTOM + 58, width: pw, lamport });
  return String(doc.documentElement.outerHTML) + "\n";
}

function counts(store: EventStore, rowOf: Int32Array): { events: number; messages: number } {
  let events = 0, messages = 0;
  for (let i = 0; i < store.count; i++) if (rowOf[store.process(i)] >= 0) events++;
  for (let i = 0; i < store.messages; i++) {
    const m = store.messageAt(i);
    if (rowOf[m.from] >= 0 && (m.to < 0 || rowOf[m.to] >= 0)) messages++;
  }
  return { events, messages };
}

function drawAxis(
  g: G,
  x: ReturnType<typeof scaleLinear<number, number>>,
  o: { pw: number; top: number; bottom: number; lamport: boolean },
): void {
  const ticks = x.ticks(Math.max(2, Math.round(o.pw / 110))).filter((t) =>
    !o.lamport || Number.isInteger(t)
  );
  g.append("path").attr("class", "grid").attr("stroke", "#ececec").attr("fill", "none")
    .attr("d", ticks.map((t) => `M${r1(x(t))},${o.top}V${o.bottom}`).join(""));
  const ax = g.append("g").attr("class", "x-axis").attr("transform", `translate(0,${o.bottom + 4})`)
    .call(axisBottom(x).tickValues(ticks));
  ax.selectAll<BaseType, number>(".tick").attr("transform", (d) => `translate(${r1(x(d))},0)`);
  ax.attr("font-family", null).attr("font-size", 11);
  ax.selectAll(".domain").remove();
  g.append("text").attr("x", o.pw / 2).attr("y", o.bottom + 40).attr("text-anchor", "middle")
    .attr("font-size", 13).text(o.lamport ? "Lamport time" : "seconds since the run started");
}

function drawMessages(
  g: G,
  store: EventStore,
  o: {
    x: ReturnType<typeof scaleLinear<number, number>>;
    yOf: (p: number) => number;
    rowOf: Int32Array;
    lamport: boolean;
    inside: (t: number) => boolean;
  },
): void {
  const layer = g.append("g").attr("class", "messages");
  for (let i = 0; i < store.messages; i++) {
    const m = store.messageAt(i);
    if (o.rowOf[m.from] < 0 || (m.to >= 0 && o.rowOf[m.to] < 0)) continue;
    const x0 = o.x(o.lamport ? m.sendLamport : m.sendTime), y0 = o.yOf(m.from);
    const style = OUTCOME_STYLE[m.status];
    let x1: number, y1: number;
    if (
      o.lamport && m.status === OUTCOME_RECEIVED && !(o.inside(m.sendTime) && o.inside(m.recvTime))
    ) {
      // In Lamport time the other end, outside the time window, has no place: a stub shows
      // which way the message goes.
      const [xa, ya, yb] = o.inside(m.sendTime)
        ? [x0, y0, o.yOf(m.to)]
        : [o.x(m.recvLamport), o.yOf(m.to), y0];
      layer.append("path").attr("class", "message-stub")
        .attr(
          "d",
          `M${r1(xa)},${r1(ya)}l${o.inside(m.sendTime) ? 10 : -10},${Math.sign(yb - ya) * 16}`,
        )
        .attr("stroke", "#999").attr("stroke-width", 1.2);
      continue;
    }
    if (m.status === OUTCOME_RECEIVED) {
      x1 = o.x(o.lamport ? m.recvLamport : m.recvTime);
      y1 = o.yOf(m.to);
    } else if (m.status === OUTCOME_QUEUED && m.to >= 0) {
      x1 = o.lamport ? x0 + 36 : o.x(m.recvTime);
      y1 = o.yOf(m.to);
    } else {
      // Undelivered or lost: a short stub toward the recipient's line, if it is known.
      const dir = m.to >= 0 ? Math.sign(o.yOf(m.to) - y0) || 1 : 1;
      x1 = x0 + 26;
      y1 = y0 + dir * Math.min(30, m.to >= 0 ? Math.abs(o.yOf(m.to) - y0) * 0.45 : 22);
    }
    const len = Math.hypot(x1 - x0, y1 - y0) || 1, ux = (x1 - x0) / len, uy = (y1 - y0) / len;
    const end = m.status === OUTCOME_RECEIVED ? R + 1 : 0;
    const ex = x1 - ux * end, ey = y1 - uy * end;
    const a = layer.append("g").attr("class", `message outcome-${m.status}`)
      .attr("data-from", m.from).attr("data-seq", m.seq);
    a.append("path").attr("d", `M${r1(x0)},${r1(y0)}L${r1(ex)},${r1(ey)}`)
      .attr("stroke", style.stroke).attr("stroke-width", 1.3).attr("fill", "none")
      .attr("stroke-dasharray", style.dash || null);
    if (m.status === OUTCOME_RECEIVED || m.status === OUTCOME_QUEUED) {
      const h = 8, w = 3.5;
      a.append("path").attr("fill", style.stroke).attr(
        "d",
        `M${r1(ex)},${r1(ey)}L${r1(ex - ux * h - uy * w)},${r1(ey - uy * h + ux * w)}L${
          r1(ex - ux * h + uy * w)
        },${r1(ey - uy * h - ux * w)}Z`,
      );
    }
    if (m.status === OUTCOME_QUEUED) {
      a.append("circle").attr("cx", r1(ex)).attr("cy", r1(ey)).attr("r", 4)
        .attr("fill", "white").attr("stroke", style.stroke).attr("stroke-width", 1.5);
    } else if (m.status === OUTCOME_UNDELIVERED || m.status === OUTCOME_LOST) {
      a.append("path").attr("d", crossPath(ex, ey, 4)).attr("stroke", style.stroke)
        .attr("stroke-width", 2);
      if (m.status === OUTCOME_LOST) {
        a.append("text").attr("x", r1(ex + 6)).attr("y", r1(ey + 4)).attr("font-size", 11)
          .attr("fill", style.stroke).text("?");
      }
    }
  }
}

function drawEvents(
  g: G,
  store: EventStore,
  o: { x: (i: number) => number; yOf: (p: number) => number; rowOf: Int32Array; rowH: number },
): void {
  const layer = g.append("g").attr("class", "events");
  const labels = g.append("g").attr("class", "lamport-labels").attr("font-size", 10)
    .attr("text-anchor", "middle").attr("fill", "#222");
  const lastAbove = new Map<number, number>(), lastBelow = new Map<number, number>();
  for (let i = 0; i < store.count; i++) {
    const p = store.process(i);
    if (o.rowOf[p] < 0) continue;
    const kind = store.kind(i), st = KIND_STYLE[kind] ?? KIND_STYLE[KIND_INTERNAL];
    const cx = o.x(i), cy = o.yOf(p);
    layer.append("path").attr("class", `event kind-${st.name.toLowerCase()}`)
      .attr("d", markPath(kind, cx, cy, R)).attr("fill", st.fill).attr("stroke", st.stroke)
      .attr("stroke-width", 1);
    const text = String(store.lamport(i)), w = text.length * 6.2 + 3;
    const above = kind !== KIND_RECEIVE; // receives label below: arrows arrive from above or below
    const tiers: [Map<number, number>, number][] = above
      ? [[lastAbove, -R - 5], [lastBelow, R + 13]]
      : [[lastBelow, R + 13], [lastAbove, -R - 5]];
    for (const [last, dy] of tiers) {
      if (o.rowH < 40 && dy > 0) continue; // thin rows: labels above only
      if (cx - (last.get(p) ?? -Infinity) < w) continue;
      last.set(p, cx);
      labels.append("text").attr("x", r1(cx)).attr("y", r1(cy + dy)).text(text);
      break;
    }
  }
}

function drawLegend(
  svg: G,
  o: { x: number; y: number; width: number; lamport: boolean },
): void {
  const g = svg.append("g").attr("class", "legend").attr("transform", `translate(${o.x},${o.y})`);
  let cx = 0;
  if (o.lamport) {
    // Right of the first row: what the grey ticks of Lamport time mean.
    g.append("path").attr("d", "M680,-6l8,12").attr("stroke", "#999").attr("stroke-width", 1.2);
    g.append("text").attr("x", 696).attr("y", 4).text("message to or from outside the window");
  }
  for (const kind of [KIND_SEND, KIND_RECEIVE, KIND_INTERNAL]) {
    const st = KIND_STYLE[kind];
    g.append("path").attr("d", markPath(kind, cx + 6, 0, R)).attr("fill", st.fill)
      .attr("stroke", st.stroke);
    g.append("text").attr("x", cx + 16).attr("y", 4).text(st.name);
    cx += 34 + st.name.length * 8.5;
  }
  g.append("text").attr("x", cx).attr("y", 4).text("123 = Lamport value (where it fits)");
  cx = 0;
  for (const outcome of [OUTCOME_RECEIVED, OUTCOME_QUEUED, OUTCOME_UNDELIVERED, OUTCOME_LOST]) {
    const st = OUTCOME_STYLE[outcome];
    g.append("path").attr("d", `M${cx},24H${cx + 28}`).attr("stroke", st.stroke)
      .attr("stroke-width", 1.5).attr("stroke-dasharray", st.dash || null);
    if (outcome === OUTCOME_QUEUED) {
      g.append("circle").attr("cx", cx + 28).attr("cy", 24).attr("r", 3.5).attr("fill", "white")
        .attr("stroke", st.stroke);
    } else if (outcome !== OUTCOME_RECEIVED) {
      g.append("path").attr("d", crossPath(cx + 28, 24, 3.5)).attr("stroke", st.stroke)
        .attr("stroke-width", 2);
    }
    g.append("text").attr("x", cx + 36).attr("y", 28).text(st.name);
    cx += 56 + st.name.length * 7.2;
  }
}

/**
 * The interactive space-time diagram of the report page: zoom and pan (x), one line per
 * machine, each event drawn as its mark while at most {@link MAX_MARKS} are in view (else a
 * density strip per machine), message arrows while at most {@link MAX_ARROWS} are in view,
 * and the selected event's causal past and future highlighted (concurrent events dimmed).
 *
 * @module
 */
// @ts-types="npm:@types/d3-selection@^3.0.11"
import { type BaseType, select, type Selection } from "d3-selection";
// @ts-types="npm:@types/d3-scale@^4.0.9"
import { type ScaleLinear, scaleLinear } from "d3-scale";
// @ts-types="npm:@types/d3-axis@^3.0.6"
import { axisBottom } from "d3-axis";
// @ts-types="npm:@types/d3-zoom@^3.0.8"
import { zoom, type ZoomBehavior, zoomIdentity } from "d3-zoom";
import type { Cone } from "../../causality/cone.ts";
import type { ReportData } from "../report_data.ts";
import { crossPath, KIND_STYLE, markPath } from "../marks.ts";
import { doc, type El, now, type Pointer } from "./_dom.ts";

/** Most event marks drawn one by one; more in view are drawn as density strips. */
export const MAX_MARKS = 2500;
/** Most message arrows drawn; more in view are counted, not drawn. */
export const MAX_ARROWS = 1500;

type Sel = Selection<BaseType, unknown, null, undefined>;
const LEFT = 140, RIGHT = 24, TOP = 12, BOTTOM = 44, R = 4.5;

/** What the view reports back to the page. */
export interface ViewHandlers {
  /** An event was clicked (process, index), or the background (null). */
  select(event: [number, number] | null): void;
  /** A message was clicked (its index in the data). */
  message(index: number): void;
  /** The pointer is over an event (or null): for the tooltip. */
  hover(event: [number, number] | null, at: { x: number; y: number }): void;
  /** What is in view, in words. */
  status(text: string): void;
}

/** The diagram. */
export class SpacetimeView {
  #d: ReportData;
  #h: ViewHandlers;
  #svg: Sel;
  #pw: number;
  #rowH: number;
  #axis: "time" | "lamport" = "time";
  #xs: Float64Array[] = [];
  #x0: ScaleLinear<number, number> = scaleLinear();
  #x: ScaleLinear<number, number> = scaleLinear();
  #zoom: ZoomBehavior<BaseType, unknown>;
  #plot: Sel;
  #cone: Cone | null = null;
  #sel: [number, number] | null = null;
  #layers: Record<string, Sel> = {};

  constructor(svgEl: El, data: ReportData, handlers: ViewHandlers) {
    this.#d = data;
    this.#h = handlers;
    const n = data.machines.length;
    const width = Math.max(800, (svgEl.parentElement?.clientWidth ?? 1200) - 4);
    this.#pw = width - LEFT - RIGHT;
    this.#rowH = Math.max(16, Math.min(72, Math.round(560 / Math.max(1, n))));
    const height = TOP + n * this.#rowH + BOTTOM;
    const svg = this.#svg = select(svgEl as unknown as BaseType).attr("width", width).attr(
      "height",
      height,
    )
      .attr("viewBox", `0 0 ${width} ${height}`);
    const defs = svg.append("defs");
    for (const [id, colour] of [["n", "#444"], ["p", "#009E73"], ["f", "#CC79A7"], ["d", "#ccc"]]) {
      defs.append("marker").attr("id", `arrow-${id}`).attr("viewBox", "0 0 10 10")
        .attr("refX", 10).attr("refY", 5).attr("markerWidth", 8).attr("markerHeight", 8)
        .attr("markerUnits", "userSpaceOnUse")
        .attr("orient", "auto-start-reverse").append("path").attr("d", "M0,0L10,5L0,10Z")
        .attr("fill", colour);
    }
    defs.append("clipPath").attr("id", "view-clip").append("rect").attr("x", -8).attr("y", 0)
      .attr("width", this.#pw + 16).attr("height", height);
    const rows = svg.append("g").attr("class", "rows");
    data.machines.forEach((m, p) => {
      const y = this.#y(p);
      rows.append("text").attr("x", LEFT - 10).attr("y", y + 4).attr("text-anchor", "end")
        .attr("font-size", Math.min(13, this.#rowH * 0.7)).text(`${m.name} · ${m.rate}/s`);
      rows.append("path").attr("d", `M${LEFT},${y}H${LEFT + this.#pw}`).attr("stroke", "#222");
    });
    const plot = this.#plot = svg.append("g").attr("transform", `translate(${LEFT},0)`);
    // The zoom listens on the plot: its pointer coordinates are the x scale's.
    plot.append("rect").attr("class", "zoom-area").attr("width", this.#pw).attr("height", height)
      .attr("fill", "white").attr("opacity", 0).on("click", () => this.#h.select(null));
    this.#layers.axis = plot.append("g").attr("class", "x-axis")
      .attr("transform", `translate(0,${TOP + n * this.#rowH + 6})`);
    const body = plot.append("g").attr("clip-path", "url(#view-clip)");
    for (const name of ["density", "messages", "hits", "events", "labels"]) {
      this.#layers[name] = body.append("g").attr("class", name);
    }
    this.#layers.events.on("click", (e: Pointer) => {
      const t = e.target.closest("path.ev");
      if (t) {
        (e.stopPropagation(),
          this.#h.select([Number(t.getAttribute("data-p")), Number(t.getAttribute("data-i"))]));
      }
    }).on("mouseover", (e: Pointer) => {
      const t = e.target.closest("path.ev");
      this.#h.hover(
        t ? [Number(t.getAttribute("data-p")), Number(t.getAttribute("data-i"))] : null,
        { x: e.pageX, y: e.pageY },
      );
    }).on("mouseout", (e: Pointer) => this.#h.hover(null, { x: e.pageX, y: e.pageY }));
    this.#layers.hits.on("click", (e: Pointer) => {
      const t = e.target.closest(".hit");
      if (t) (e.stopPropagation(), this.#h.message(Number(t.getAttribute("data-m"))));
    });
    this.#zoom = zoom<BaseType, unknown>().on("zoom", (e) => {
      this.#x = e.transform.rescaleX(this.#x0);
      this.render();
    });
    plot.call(this.#zoom).on("dblclick.zoom", null);
    this.setAxis("time");
  }

  /** Switches the x axis and shows the whole run. */
  setAxis(axis: "time" | "lamport"): void {
    this.#axis = axis;
    const src = axis === "time" ? this.#d.t : this.#d.l;
    this.#xs = src.map((a) => Float64Array.from(a));
    let lo = Infinity, hi = -Infinity;
    for (const a of this.#xs) {
      if (a.length) (lo = Math.min(lo, a[0]), hi = Math.max(hi, a[a.length - 1]));
    }
    if (!(hi > lo)) (lo = 0, hi = 1);
    const pad = (hi - lo) * 0.01 + (axis === "lamport" ? 1 : 0);
    this.#x0 = scaleLinear().domain([lo - pad, hi + pad]).range([0, this.#pw]);
    const minSpan = axis === "time" ? 0.002 : 4;
    this.#zoom.scaleExtent([1, Math.max(1, (hi - lo) / minSpan)])
      .translateExtent([[0, 0], [this.#pw, 1]]).extent([[0, 0], [this.#pw, 1]]);
    this.#plot.call(this.#zoom.transform, zoomIdentity);
  }

  /** Highlights `event`'s cone (null clears). */
  highlight(event: [number, number] | null, cone: Cone | null): void {
    this.#sel = event;
    this.#cone = cone;
    this.render();
  }

  #y(p: number): number {
    return TOP + p * this.#rowH + this.#rowH / 2;
  }

  #state(p: number, i: number): string {
    const c = this.#cone, s = this.#sel;
    if (c === null || s === null) return "";
    if (s[0] === p && s[1] === i) return " sel";
    return i < c.past[p] ? " past" : i >= c.future[p] ? " future" : " conc";
  }

  /** Draws what is in view. */
  render(): void {
    const started = now();
    const x = this.#x, [a, b] = x.domain(), d = this.#d;
    const ranges = this.#xs.map((xs) => [lower(xs, a), lower(xs, b, true)]);
    const inView = ranges.reduce((s, [lo, hi]) => s + hi - lo, 0);
    const marks = inView <= MAX_MARKS;
    const items: [number, number][] = [];
    if (marks) {
      ranges.forEach(([lo, hi], p) => {
        for (let i = lo; i < hi; i++) items.push([p, i]);
      });
    }
    this.#layers.events.selectAll<BaseType, [number, number]>("path.ev")
      .data(items, (e) => `${e[0]}/${e[1]}`).join("path")
      .attr("class", ([p, i]) => `ev k${d.k[p][i]}${this.#state(p, i)}`)
      .attr("data-p", ([p]) => p).attr("data-i", ([, i]) => i)
      .attr("d", ([p, i]) => markPath(d.k[p][i], x(this.#xs[p][i]), this.#y(p), R))
      .attr("fill", ([p, i]) => KIND_STYLE[d.k[p][i]].fill)
      .attr("stroke", ([p, i]) => KIND_STYLE[d.k[p][i]].stroke);
    this.#density(marks ? [] : ranges);
    const drawn = this.#messages(a, b);
    this.#labels(marks && inView <= 400 ? items : []);
    const ticks = x.ticks(Math.max(2, Math.round(this.#pw / 110)))
      .filter((t) => this.#axis === "time" || Number.isInteger(t));
    this.#layers.axis.call(axisBottom(x).tickValues(ticks));
    this.#h.status(
      `${inView.toLocaleString("en-US")} events and ${
        drawn.inView.toLocaleString("en-US")
      } messages in view` +
        (marks
          ? ""
          : ` — drawn as density (each event is drawn from ${
            MAX_MARKS.toLocaleString("en-US")
          } in view down): zoom in`) +
        (drawn.drawn < drawn.inView
          ? `; arrows drawn from ${MAX_ARROWS.toLocaleString("en-US")} down`
          : ""),
    );
    doc.body.dataset.marks = String(marks ? items.length : 0);
    doc.body.dataset.arrows = String(drawn.drawn);
    doc.body.dataset.renderMs = (now() - started).toFixed(1);
  }

  #density(ranges: number[][]): void {
    const x = this.#x, cols = Math.ceil(this.#pw / 2) + 1;
    const paths = ranges.map(([lo, hi], p) => {
      const bins = new Uint32Array(cols), xs = this.#xs[p];
      for (let i = lo; i < hi; i++) {
        bins[Math.max(0, Math.min(cols - 1, Math.floor(x(xs[i]) / 2)))]++;
      }
      let dpath = "";
      const y = this.#y(p), max = this.#rowH * 0.8;
      bins.forEach((c, k) => {
        if (c === 0) return;
        const h = Math.min(max, 3 + 3 * Math.log2(c));
        dpath += `M${k * 2},${(y - h / 2).toFixed(1)}h2v${h.toFixed(1)}h-2Z`;
      });
      return dpath;
    });
    this.#layers.density.selectAll("path").data(paths).join("path").attr("d", (p) => p)
      .attr("fill", "#666").attr("opacity", this.#cone ? 0.35 : 0.8);
  }

  #messages(a: number, b: number): { inView: number; drawn: number } {
    const d = this.#d, m = d.msg, x = this.#x, time = this.#axis === "time", c = this.#cone;
    const pos = (p: number, i: number) => (time ? d.t[p][i] : d.l[p][i]);
    const list: number[] = [];
    for (let k = 0; k < m.s.length; k++) {
      const sx = pos(m.s[k], m.si[k]);
      const rx = m.st[k] === 0 ? pos(m.r[k], m.ri[k]) : m.st[k] === 1 && time ? m.rt[k]! : sx;
      if (Math.max(sx, rx) >= a && Math.min(sx, rx) <= b) list.push(k);
    }
    const shown = list.length <= MAX_ARROWS ? list : [];
    const cls = (k: number) => {
      if (c === null) return "n";
      if (m.st[k] === 0 && m.ri[k] < c.past[m.r[k]]) return "p";
      if (m.si[k] >= c.future[m.s[k]]) return "f";
      return "d";
    };
    const path = (k: number) => {
      const x0 = x(pos(m.s[k], m.si[k])), y0 = this.#y(m.s[k]);
      if (m.st[k] === 0) return `M${x0},${y0}L${x(pos(m.r[k], m.ri[k]))},${this.#y(m.r[k])}`;
      const toward = m.r[k] >= 0 ? Math.sign(this.#y(m.r[k]) - y0) || 1 : 1;
      if (m.st[k] === 1 && m.r[k] >= 0) {
        return `M${x0},${y0}L${time ? x(m.rt[k]!) : x0 + 30},${this.#y(m.r[k])}`;
      }
      const x1 = x0 + 22, y1 = y0 + toward * Math.min(24, this.#rowH * 0.45);
      return `M${x0},${y0}L${x1},${y1}` + crossPath(x1, y1, 3.5);
    };
    this.#layers.messages.selectAll<BaseType, number>("path.msg").data(shown, (k) => k)
      .join("path").attr("class", (k) => `msg o${m.st[k]} ${cls(k)}`).attr("data-m", (k) => k)
      .attr("d", path).attr("marker-end", (k) => (m.st[k] <= 1 ? `url(#arrow-${cls(k)})` : null));
    // Wide invisible copies: an arrow is easy to click.
    this.#layers.hits.selectAll<BaseType, number>("path.hit").data(shown, (k) => k)
      .join("path").attr("class", "hit").attr("data-m", (k) => k).attr("d", path);
    return { inView: list.length, drawn: shown.length };
  }

  #labels(items: [number, number][]): void {
    const last = new Map<number, number>(), keep: [number, number][] = [];
    for (const [p, i] of items) {
      const cx = this.#x(this.#xs[p][i]), w = String(this.#d.l[p][i]).length * 6 + 4;
      if (cx - (last.get(p) ?? -Infinity) < w || this.#rowH < 30) continue;
      last.set(p, cx);
      keep.push([p, i]);
    }
    this.#layers.labels.selectAll<BaseType, [number, number]>("text").data(keep).join("text")
      .attr("x", ([p, i]) => this.#x(this.#xs[p][i])).attr("y", ([p]) => this.#y(p) - R - 4)
      .attr("class", ([p, i]) => `lbl${this.#state(p, i)}`).text(([p, i]) => this.#d.l[p][i]);
  }
}

/** First index with xs[i] >= v (or > v with `after`). */
function lower(xs: Float64Array, v: number, after = false): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v || (after && xs[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

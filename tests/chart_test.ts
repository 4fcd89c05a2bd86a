import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { type ChartPanel, type ChartSeries, plotWidth, renderSvg } from "../lib/analysis/chart.ts";
import { svgToPng } from "../lib/analysis/png.ts";
import { chartPanels } from "../lib/analysis/_chart_panels.ts";
import type { ChartPanel as PanelType } from "../lib/analysis/_chart_types.ts";
import { createChecks } from "../lib/analysis/checks.ts";
import { DriftTracker } from "../lib/analysis/_drift_tracker.ts";
import { EventLine, KEY } from "../lib/analysis/_event_line.ts";
import type { LogFileInfo } from "../lib/analysis/log_files.ts";
import { MachineState } from "../lib/analysis/_machine_state.ts";

const NAMES = ["machine 1 (rate 1/s)", "machine 2 (rate 3/s)", "machine 3 (rate 6/s)"];

function series(name: string, pts: [number, number][]): ChartSeries {
  return {
    name,
    t: Float64Array.from(pts, (p) => p[0]),
    v: Float64Array.from(pts, (p) => p[1]),
  };
}

function fourPanels(): ChartPanel[] {
  const clocks = NAMES.map((n, i) => series(n, [[0, 1], [10.123456, 5 + i], [59.5, 40 * (i + 1)]]));
  return [
    { title: "Lamport clock vs time", yLabel: "clock", mode: "step", series: clocks },
    {
      title: "Queue length at RECEIVE",
      yLabel: "queue",
      mode: "step",
      series: NAMES.map((n) => series(n, [[1, 0], [2, 3]])),
    },
    {
      title: "Clock jump (new − old)",
      yLabel: "jump",
      mode: "points",
      series: NAMES.map((n, i) => series(n, [[1.5, 1], [3.25, 4 + i]])),
    },
    {
      title: "Drift (max − min clock)",
      yLabel: "drift",
      mode: "step",
      series: [series("drift", [[0, 0], [30, 12], [59.5, 80]])],
    },
  ];
}

function parse(svg: string) {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  return doc.documentElement;
}

function texts(root: ReturnType<typeof parse>): string[] {
  return [...root.querySelectorAll("text")].map((e) => String(e.textContent));
}

Deno.test("renderSvg() draws one panel per entry, one path per series, legends and labels", () => {
  const svg = renderSvg(fourPanels(), { title: "Run 7", width: 1000, panelHeight: 240 });
  const root = parse(svg);
  assert.equal(root.getAttribute("width"), "1000");
  assert.equal(root.getAttribute("height"), String(40 + 4 * 240 + 40));
  const panels = [...root.querySelectorAll("g.panel")];
  assert.equal(panels.length, 4);
  assert.deepEqual(panels.map((p) => p.querySelectorAll("path.series").length), [3, 3, 3, 1]);
  assert.deepEqual(
    panels.map((p) => [...p.querySelectorAll(".legend-item text")].map((e) => e.textContent)),
    [NAMES, NAMES, NAMES, ["drift"]],
  );
  assert.deepEqual(
    panels.map((p) => p.querySelector(".panel-title")?.textContent),
    [
      "Lamport clock vs time",
      "Queue length at RECEIVE",
      "Clock jump (new − old)",
      "Drift (max − min clock)",
    ],
  );
  const all = texts(root);
  assert.ok(all.includes("Run 7"));
  assert.equal(root.querySelector(".x-label")?.textContent, "time since run start (s)");
  // X tick labels are seconds of the shared domain [0, 59.5].
  const xTicks = [...panels[3].querySelectorAll(".x-axis .tick text")].map((e) => e.textContent);
  assert.deepEqual(xTicks, ["0", "10", "20", "30", "40", "50"]);
  assert.ok(root.getAttribute("font-family")?.startsWith("DejaVu Sans"));
  assert.equal(all.filter((t) => t === "no data").length, 0);
});

Deno.test("renderSvg() keeps series colours by index across panels and draws steps", () => {
  const root = parse(renderSvg(fourPanels()));
  const strokes = [...root.querySelectorAll("g.panel")].map((p) =>
    [...p.querySelectorAll("path.series")].map((e) => e.getAttribute("stroke"))
  );
  assert.deepEqual(strokes[1], strokes[0]);
  assert.deepEqual(strokes[2], strokes[0]);
  assert.equal(strokes[3][0], strokes[0][0]);
  assert.equal(new Set(strokes[0]).size, 3);
  const d = root.querySelector("path.series")?.getAttribute("d") ?? "";
  // Step-after: from (x0, y0) go right at y0, then jump to y1; 1-decimal coordinates.
  const nums = d.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
  assert.equal(nums.length, 10, d);
  assert.equal(nums[3], nums[1], "horizontal segment keeps the old value");
  assert.equal(nums[4], nums[2], "then a vertical segment to the new value");
  for (const path of root.querySelectorAll("path")) {
    assert.doesNotMatch(path.getAttribute("d") ?? "", /\d\.\d\d/, "coordinates rounded");
  }
});

Deno.test("renderSvg() writes 'no data' in an empty panel and skips empty series", () => {
  const panels = fourPanels();
  panels[2] = { ...panels[2], series: [series("machine 1", []), series("machine 2", [])] };
  panels[0].series[1] = series(NAMES[1], []);
  const root = parse(renderSvg(panels));
  const p = [...root.querySelectorAll("g.panel")];
  assert.equal(p[2].querySelector(".no-data")?.textContent, "no data");
  assert.equal(p[2].querySelectorAll("path.series").length, 0);
  assert.equal(p[2].querySelectorAll(".legend-item").length, 2);
  assert.equal(p[0].querySelectorAll("path.series").length, 2);
  assert.equal(p[0].querySelector(".no-data"), null);
  const all = parse(renderSvg([{ title: "t", yLabel: "y", mode: "step", series: [] }]));
  assert.equal(all.querySelector(".no-data")?.textContent, "no data");
});

Deno.test("renderSvg() escapes text and rejects bad input with the value", () => {
  const svg = renderSvg([{
    title: "a < b & c",
    yLabel: "y",
    mode: "points",
    series: [series('m "1" <x>', [[0, 1]])],
  }]);
  assert.ok(svg.includes("a &lt; b &amp; c"));
  assert.ok(texts(parse(svg)).includes('m "1" <x>'));
  assert.throws(
    () => renderSvg([]),
    /Cannot render the chart as it needs at least one panel: current value is no panel/,
  );
  assert.throws(
    () => renderSvg(fourPanels(), { width: 100 }),
    /Cannot render the chart as width must be an integer >= 372: current value is 100/,
  );
  const bad = fourPanels();
  bad[0].series[0] = { name: "m", t: new Float64Array(3), v: new Float64Array(2) };
  assert.throws(
    () => renderSvg(bad),
    /series "m" of panel .* must have one value per time \(3\): current value is 2 values/,
  );
});

Deno.test("plotWidth() is the chart width minus the axis and legend margins", () => {
  assert.equal(plotWidth(1000), 728);
  assert.equal(plotWidth(1600), 1328);
  const root = parse(renderSvg(fourPanels(), { width: 1600 }));
  const frame = root.querySelector("g.panel > rect");
  assert.equal(frame?.getAttribute("width"), "1328");
});

Deno.test("svgToPng() writes a PNG of the SVG's size with the text rendered", async () => {
  const png = await svgToPng(renderSvg(fourPanels(), { width: 900, panelHeight: 200 }));
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  assert.equal(view.getUint32(16), 900);
  assert.equal(view.getUint32(20), 10 + 4 * 200 + 40);
  // Fonts are found: the same image with and without a line of text differ.
  const frame = (text: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">` +
    `<text x="5" y="25" font-family="DejaVu Sans" font-size="16">${text}</text></svg>`;
  const blank = await svgToPng(frame(""));
  const hello = await svgToPng(frame("Hello 123"));
  assert.notDeepEqual(hello, blank);
  assert.ok(hello.length > blank.length + 100, `${hello.length} vs ${blank.length}`);
  await assert.rejects(
    svgToPng("not svg"),
    /^TypeError: Cannot draw a PNG as the input is not an SVG document: "not svg"$/,
  );
});

Deno.test("renderSvg() tells series apart without colour: a dash per line, a mark per point series", () => {
  const names = Array.from({ length: 10 }, (_, i) => `machine ${i + 1}`);
  const root = parse(renderSvg([
    {
      title: "clock",
      yLabel: "c",
      mode: "step",
      series: names.map((n, i) => series(n, [[0, i], [10, 2 * i]])),
    },
    {
      title: "queue",
      yLabel: "q",
      mode: "points",
      series: names.map((n, i) => series(n, [[1, i]])),
    },
  ]));
  const [steps, points] = [...root.querySelectorAll("g.panel")].map((
    p,
  ) => [...p.querySelectorAll("path.series")]);
  type El = (typeof steps)[number];
  const style = (e: El) =>
    `${e.getAttribute("stroke")} ${e.getAttribute("stroke-dasharray") ?? "solid"}`;
  assert.equal(new Set(steps.map((e) => e.getAttribute("stroke-dasharray") ?? "")).size, 10);
  assert.equal(new Set(steps.map(style)).size, 10);
  // Marks: circle, square, triangle, diamond (filled, then hollow), in colour-blind-safe colours.
  const mark = (e: El) =>
    `${(e.getAttribute("d") ?? "").replace(/[-\d.,]+/g, "#")} ${
      e.getAttribute("fill") === "white"
    }`;
  assert.equal(new Set(points.slice(0, 8).map(mark)).size, 8);
  assert.equal(steps[0].getAttribute("stroke"), "#0072B2");
});

Deno.test("renderSvg() draws more than 10 series as a min–max band, the median and the extremes", () => {
  const many = Array.from(
    { length: 12 },
    (_, i) => series(`machine ${i + 1}`, [[0, 0], [30, 10 + i], [60, 20 + 3 * i]]),
  );
  const root = parse(renderSvg([{ title: "clock", yLabel: "c", mode: "step", series: many }]));
  assert.equal(root.querySelectorAll("path.band").length, 1);
  assert.equal(root.querySelectorAll("path.median").length, 1);
  const drawn = [...root.querySelectorAll("path.series")].map((e) => e.getAttribute("data-name"));
  assert.deepEqual(drawn, ["machine 12", "machine 1"]);
  assert.deepEqual(texts(root).filter((t) => /min–max|machines\)|median|highest|lowest/.test(t)), [
    "min–max band",
    "(all 12 machines)",
    "median over them",
    "(highest at the end)",
    "(lowest at the end)",
  ]);
});

Deno.test("renderSvg() gives an integer panel integer ticks and shifts each series' marks apart", () => {
  const pts = (name: string) => series(name, [[1, 0], [2, 1], [3, 2]]);
  const root = parse(renderSvg([{
    title: "queue",
    yLabel: "q",
    mode: "points",
    integer: true,
    series: [pts("a"), pts("b"), pts("c")],
    note: "Messages left waiting after each RECEIVE. Marks shifted a little per machine.",
  }]));
  const ticks = [...root.querySelectorAll(".y-axis .tick text")].map((e) => e.textContent);
  assert.deepEqual(ticks, ["0", "1", "2"]);
  // The same values, drawn 5 px apart per series: the marks' centres (circle: its left point
  // is at the centre's height; square: 0.9 r above; triangle: its apex 1.2 r above; r = 2.6).
  const centre = [0, 0.9 * 2.6, 1.2 * 2.6];
  const firstY = [...root.querySelectorAll("path.series")].map((e, i) =>
    Number(/^M[\d.]+,([\d.]+)/.exec(e.getAttribute("d") ?? "")?.[1]) + centre[i]
  );
  for (const gap of [firstY[1] - firstY[0], firstY[2] - firstY[1]]) {
    assert.ok(Math.abs(gap - 5) <= 0.1, `marks ${gap} px apart`);
  }
  const note = [...root.querySelectorAll(".panel-note tspan")].map((e) => e.textContent);
  assert.deepEqual(note, [
    "Messages left waiting after",
    "each RECEIVE. Marks shifted a",
    "little per machine.",
  ]);
});

Deno.test("chartPanels() measures every clock against the fastest machine's and draws jumps at RECEIVE only", () => {
  const range = { start: 0, end: 2, columns: 100 };
  const info = (id: number, rate: number): LogFileInfo => ({
    path: `m${id}.log`,
    machineId: id,
    clockRate: rate,
    port: null,
    ids: false,
    session: null,
    firstTime: 0,
    lastTime: 2,
  });
  const checks = createChecks();
  const machines = [info(1, 1), info(2, 4)].map((f) => new MachineState([f], { checks, range }));
  const drift = new DriftTracker(2, range);
  const line = new EventLine();
  const feed = (i: number, json: string) => {
    const bytes = new TextEncoder().encode(json);
    assert.equal(line.parse(bytes, 0, bytes.length), "");
    machines[i].onEvent(line, 1);
    drift.update(i, machines[i].clock, line.num[KEY.system_time]);
  };
  feed(0, '{"event": "STARTUP", "system_time": 0, "machine_id": 1, "clock_rate": 1}');
  feed(1, '{"event": "STARTUP", "system_time": 0, "machine_id": 2, "clock_rate": 4}');
  for (let k = 1; k <= 4; k++) {
    feed(
      1,
      `{"event": "INTERNAL", "system_time": ${k / 4}, "machine_id": 2, "old_clock": ${
        k - 1
      }, "new_clock": ${k}}`,
    );
  }
  feed(
    0,
    '{"event": "RECEIVE", "system_time": 1.5, "machine_id": 1, "old_clock": 0, "new_clock": 5, "queue_len": 0}',
  );
  const panels: PanelType[] = chartPanels({ machines, drift, duration: 2, samples: 5 });
  assert.equal(
    panels[1].title,
    "Clock minus machine 2's clock (the fastest, rate 4/s), mean over 0.02 s",
  );
  // Samples at t = 0, 0.5, 1, 1.5, 2: machine 1 holds 0, 0, 0, 5, 5; machine 2 0, 2, 4, 4, 4.
  assert.deepEqual([...panels[1].series[0].v], [0, -2, -4, 1, 1]);
  assert.deepEqual([...panels[1].series[1].v], [0, 0, 0, 0, 0]);
  assert.deepEqual([...panels[3].series[0].v], [5]); // the one RECEIVE's jump
  assert.deepEqual([...panels[3].series[1].v], []); // INTERNAL steps are not drawn
  assert.ok(panels.slice(1, 5).every((p) => p.integer === true));
});

import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { renderSpacetimeSvg } from "../lib/report/spacetime_svg.ts";

function draw(
  dir: string,
  axis: "time" | "lamport" = "time",
  window?: { from: number; to: number },
) {
  const a = analyzeLogs([dir], { causality: { window } });
  const svg = renderSpacetimeSvg({
    machines: a.summary.machines.map((m) => ({ id: m.machine_id, rate: m.clock_rate })),
    store: a.causality.windowStore!,
    window: a.causality.window,
    duration: a.summary.run.duration,
    axis,
  });
  return new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
}

function count(root: ReturnType<typeof draw>, sel: string) {
  return root.querySelectorAll(sel).length;
}

Deno.test("space-time diagram of the hand-built run: every event by shape, every message, every label", () => {
  const root = draw("tests/fixtures/causality_hand");
  assert.equal(count(root, "path.machine-line"), 3);
  assert.deepEqual(
    [
      count(root, "path.kind-send"),
      count(root, "path.kind-receive"),
      count(root, "path.kind-internal"),
    ],
    [2, 2, 5],
  );
  // Shapes differ, not only colours: a triangle (3 corners), a circle (arcs), a square.
  const d = (k: string) => root.querySelector(`path.kind-${k}`)!.getAttribute("d")!;
  assert.match(d("send"), /^M[\d.,]+L[\d.,]+L[\d.,]+Z$/);
  assert.match(d("receive"), /a5,5 0 1,0 10,0/);
  assert.match(d("internal"), /^M[\d.,]+h[\d.]+v[\d.]+h-[\d.]+Z$/);
  assert.equal(count(root, "g.message.outcome-0"), 2);
  const labels = [...root.querySelectorAll(".lamport-labels text")].map((t) => t.textContent);
  assert.deepEqual(labels.sort(), ["1", "1", "1", "2", "2", "3", "3", "4", "5"]);
  assert.match(root.querySelector("text.title")!.textContent!, /first 8 s of a 8 s run/);
});

Deno.test("space-time diagram: a queued message ends in a circle at the END, an undelivered one in ×", () => {
  const root = draw("tests/fixtures/run_small");
  assert.equal(count(root, "g.message.outcome-1"), 1);
  assert.equal(count(root, "g.message.outcome-1 circle"), 1);
  assert.equal(count(root, "g.message.outcome-2"), 1);
  assert.match(
    root.querySelector("g.message.outcome-2 path:last-child")!.getAttribute("d")!,
    /^M[\d.,-]+L[\d.,-]+M[\d.,-]+L[\d.,-]+$/,
  );
  assert.equal(count(root, "g.message.outcome-0"), 4);
});

Deno.test("space-time diagram of the sample run: the default 10 s window, and Lamport time", () => {
  const time = draw("sample_logs/run_2026-11-28_04-06-20");
  assert.match(time.querySelector("text.title")!.textContent!, /first 10 s of a 60.2 s run/);
  assert.equal(count(time, "path.event"), 100);
  assert.equal(count(time, "g.message"), 35);
  const lamport = draw("sample_logs/run_2026-11-28_04-06-20", "lamport", { from: 30, to: 40 });
  assert.match(lamport.querySelector("text.title")!.textContent!, /30–40 s of a 60.2 s run/);
  assert.equal(count(lamport, "path.event"), 100);
  assert.ok(count(lamport, "path.message-stub") > 0, "messages leaving the window");
  const ticks = [...lamport.querySelectorAll(".x-axis .tick text")].map((t) =>
    Number(t.textContent)
  );
  assert.ok(ticks.every(Number.isInteger) && ticks[0] >= 120 && ticks.at(-1)! <= 240, `${ticks}`);
});

/**
 * Chart benchmark: synthetic Lamport-clock runs of 3 machines with N events each, pushed
 * through `PixelSeries` (4 panels: clock, queue, jump per machine, plus one drift series)
 * and rendered to SVG and PNG. Prints a markdown table (median of `--runs` runs) and writes
 * the last images to `bench/out/`.
 *
 * ```sh
 * deno run --allow-read --allow-ffi --allow-sys=cpus,networkInterfaces,hostname \
 *   --allow-write=bench/out bench/chart_bench.ts --runs 5
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { PixelSeries } from "../lib/analysis/_downsample.ts";
import { type ChartPanel, type ChartSeries, plotWidth, renderSvg } from "../lib/analysis/chart.ts";
import { svgToPng } from "../lib/analysis/png.ts";

const WIDTH = 1000;
const RATES = [1, 3, 6];

interface Sample {
  downsample: number;
  svg: number;
  png: number;
  points: number;
  svgBytes: number;
  pngBytes: number;
}

/** One run: `events` events per machine; returns timings in ms. */
async function runOnce(events: number, out: string | null): Promise<Sample> {
  const duration = 60;
  const columns = plotWidth(WIDTH);
  const opts = { start: 0, end: duration, columns };
  const panels: ChartSeries[][] = [[], [], []];
  const drift = new PixelSeries(opts);
  const t = new Float64Array(events);
  const clock = new Float64Array(events);
  const queue = new Float64Array(events);
  const jump = new Float64Array(events);
  let seed = 42;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let ms = 0;
  for (let m = 0; m < RATES.length; m++) {
    let c = 0;
    for (let k = 0; k < events; k++) {
      const j = rnd() < 0.3 ? 1 + Math.floor(rnd() * 10 * RATES[m]) : 1;
      c += j;
      t[k] = (k + rnd() * 0.5) * duration / events;
      clock[k] = c;
      jump[k] = j;
      queue[k] = Math.floor(rnd() * 4 * (RATES.length - m));
    }
    const series = [new PixelSeries(opts), new PixelSeries(opts), new PixelSeries(opts)];
    const t0 = performance.now();
    for (let k = 0; k < events; k++) {
      const tk = t[k];
      series[0].add(tk, clock[k]);
      series[1].add(tk, queue[k]);
      series[2].add(tk, jump[k]);
      if (m === 0) drift.add(tk, clock[k] * 0.1);
    }
    const name = `machine ${m + 1} (rate ${RATES[m]}/s)`;
    series.forEach((s, i) => panels[i].push({ name, ...s.points() }));
    ms += performance.now() - t0;
  }
  const t0 = performance.now();
  const driftPoints = drift.points();
  ms += performance.now() - t0;
  const chart: ChartPanel[] = [
    { title: "Lamport clock vs time", yLabel: "Lamport clock", mode: "step", series: panels[0] },
    { title: "Queue length at RECEIVE", yLabel: "queue length", mode: "step", series: panels[1] },
    { title: "Clock jump (new − old)", yLabel: "jump", mode: "points", series: panels[2] },
    {
      title: "Drift (max − min clock)",
      yLabel: "drift",
      mode: "step",
      series: [{ name: "drift", ...driftPoints }],
    },
  ];
  const points = chart.reduce((n, p) => n + p.series.reduce((a, s) => a + s.t.length, 0), 0);
  const t1 = performance.now();
  const svg = renderSvg(chart, {
    title: `${RATES.length} machines × ${events.toLocaleString("en")} events`,
    width: WIDTH,
    xDomain: [0, duration],
  });
  const t2 = performance.now();
  const png = await svgToPng(svg);
  const t3 = performance.now();
  if (out !== null) {
    Deno.mkdirSync("bench/out", { recursive: true });
    Deno.writeTextFileSync(`bench/out/${out}.svg`, svg);
    Deno.writeFileSync(`bench/out/${out}.png`, png);
  }
  return {
    downsample: ms,
    svg: t2 - t1,
    png: t3 - t2,
    points,
    svgBytes: svg.length,
    pngBytes: png.length,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  throw new RangeError(
    `Cannot run the benchmark: --runs must be a positive integer: current value is ${values.runs}`,
  );
}
console.log(
  `Deno ${Deno.version.deno}, width ${WIDTH} px (${
    plotWidth(WIDTH)
  } columns), median of ${runs} runs\n`,
);
console.log(
  "| events per series | series (4 panels) | points drawn | downsample ms | SVG ms | PNG ms | SVG KiB | PNG KiB |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const events of [10_000, 1_000_000]) {
  const samples: Sample[] = [];
  for (let r = 0; r < runs; r++) {
    samples.push(await runOnce(events, r === runs - 1 ? `charts_${events}` : null));
  }
  const med = (f: (s: Sample) => number) => median(samples.map(f));
  console.log(
    `| ${events.toLocaleString("en")} | 10 | ${med((s) => s.points)} | ${
      med((s) => s.downsample).toFixed(1)
    } | ${med((s) => s.svg).toFixed(1)} | ${med((s) => s.png).toFixed(1)} | ${
      (med((s) => s.svgBytes) / 1024).toFixed(0)
    } | ${(med((s) => s.pngBytes) / 1024).toFixed(0)} |`,
  );
}

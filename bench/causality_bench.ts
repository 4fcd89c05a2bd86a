/**
 * Causality benchmark: what happened-before (vector clocks, pair counts), the space-time
 * diagram and the interactive report cost, measured with `/usr/bin/time -v` (wall clock, peak
 * RSS), median of `--runs`.
 *
 * Usage (from the repository root; `deno task bench:causality` runs it with these flags):
 *   deno run --allow-read --allow-write=bench/out --allow-run --allow-env --allow-net=127.0.0.1
 *     bench/causality_bench.ts [--runs 3] [--browser]
 *
 * Cases (logs generated once under bench/out/, reused):
 * - "1M": 3 machines at 1000–6000 ticks/s for 111 s (about 1,000,000 lines), analyzed with
 *   `--no-causality` and with everything (causality, space-time SVG/PNG, report), and the
 *   analysis in-process with and without causality (no output written);
 * - "100k": 3 machines at 700–1000/s for 40 s (about 112,000 events): the report's size and,
 *   with `--browser`, its load, zoom and click times in headless Chromium;
 * - "1000 machines": `--count 1000 --duration 60`, tracker alone (reading + causality) against
 *   reading alone, since the analyzer's message ledger stops at 4096 (sender, recipient) pairs.
 *
 * @module
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { LogReader } from "../lib/analysis/_log_reader.ts";
import { KEY } from "../lib/analysis/_event_line.ts";
import { probeLogFile } from "../lib/analysis/log_files.ts";
import { resolveLogPaths } from "../lib/analysis/log_paths.ts";
import { CausalityFeed } from "../lib/analysis/_causality_feed.ts";
import { browserTimes } from "./_report_browser.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    browser: { type: "boolean", default: false },
    inner: { type: "string" },
    dir: { type: "string" },
  },
});
const OUT = "bench/out";
const runs = Number(values.runs);

/** Inner modes, run in a child process so that /usr/bin/time measures them alone. */
if (values.inner !== undefined) {
  const dir = values.dir!;
  if (values.inner === "inprocess") {
    const best = { skip: Infinity, with: Infinity, skipCpu: Infinity, withCpu: Infinity };
    for (let k = 0; k < runs; k++) {
      for (const skip of [true, false]) {
        const t0 = performance.now(), c0 = process.cpuUsage();
        analyzeLogs([dir], { causality: { skip } });
        const s = (performance.now() - t0) / 1000, c1 = process.cpuUsage(c0);
        const cpu = (c1.user + c1.system) / 1e6;
        if (skip) (best.skip = Math.min(best.skip, s), best.skipCpu = Math.min(best.skipCpu, cpu));
        else (best.with = Math.min(best.with, s), best.withCpu = Math.min(best.withCpu, cpu));
      }
    }
    console.log(JSON.stringify(best));
  } else {
    const infos = resolveLogPaths([dir]).map(probeLogFile);
    const start = Math.min(...infos.map((f) => f.firstTime));
    const readers = infos.map((f) => new LogReader(f.path));
    const feed = values.inner === "read" ? null : new CausalityFeed(infos, start, {});
    const heads = new Float64Array(readers.length);
    const adv = (i: number) => {
      heads[i] = readers[i].next() ? readers[i].line.num[KEY.system_time] : Infinity;
    };
    for (let i = 0; i < readers.length; i++) adv(i);
    const c0 = process.cpuUsage();
    for (;;) {
      let i = 0;
      for (let j = 1; j < heads.length; j++) if (heads[j] < heads[i]) i = j;
      if (heads[i] === Infinity) break;
      feed?.feed(i, readers[i].line, readers[i].lineNo);
      adv(i);
    }
    const s = feed?.finish(true).analysis.summary;
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({
      cpu: (c.user + c.system) / 1e6,
      available: s?.available,
      reason: s?.reason,
      events: s?.events,
      rate: s?.lamport_ambiguity_rate,
    }));
  }
  Deno.exit(0);
}

async function timed(args: string[]): Promise<{ wall: number; rssMb: number; stdout: string }> {
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-v", Deno.execPath(), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr), stdout = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) throw new Error(`Cannot run ${args.join(" ")}: exit ${out.code}\n${err}`);
  const w = err.match(/Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/)!;
  return {
    wall: Number(w[1] ?? 0) * 3600 + Number(w[2]) * 60 + Number(w[3]),
    rssMb: Number(err.match(/Maximum resident set size \(kbytes\): (\d+)/)![1]) / 1024,
    stdout,
  };
}

async function median(args: string[]): Promise<{ wall: number; rssMb: number; stdout: string }> {
  const all = [];
  for (let k = 0; k < runs; k++) all.push(await timed(args));
  all.sort((a, b) => a.wall - b.wall);
  return { ...all[Math.floor(all.length / 2)], rssMb: Math.max(...all.map((r) => r.rssMb)) };
}

async function simulate(dir: string, args: string[]): Promise<void> {
  try {
    if (Deno.statSync(`${dir}/machine_1.log`).isFile) return;
  } catch { /* generate */ }
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      ...["run", "--allow-read", `--allow-write=${OUT}`, "--allow-run", "run_machine.ts"],
      ...["--simulate", "--quiet", "--seed", "1", "--logs-dir", dir, ...args],
    ],
    stdout: "null",
  }).output();
  if (r.code !== 0) throw new Error(`Cannot generate ${dir}: run_machine.ts exited with ${r.code}`);
}

const ANALYZE = ["run", "--allow-read", `--allow-write=${OUT}`, "--allow-ffi"];
const SYS = "--allow-sys=cpus,networkInterfaces,hostname";
function lines(dir: string): number {
  return [...Deno.readDirSync(dir)].filter((d) => d.name.endsWith(".log")).reduce((n, d) => {
    const b = Deno.readFileSync(`${dir}/${d.name}`);
    let c = 0;
    for (let i = 0; i < b.length; i++) if (b[i] === 10) c++;
    return n + c;
  }, 0);
}

/** Wall time and peak RSS of `analyze_logs.ts dir`, without and with causality (a table). */
async function analyzeTable(dir: string): Promise<void> {
  console.log("| analyze_logs.ts | wall s | peak RSS MB |\n| --- | ---: | ---: |");
  for (const [name, extra] of [["--no-causality", ["--no-causality"]], ["everything", []]]) {
    const r = await median([
      ...ANALYZE,
      SYS,
      "analyze_logs.ts",
      dir,
      "--out",
      `${dir}_out`,
      ...extra,
    ]);
    console.log(`| ${name} | ${r.wall.toFixed(2)} | ${r.rssMb.toFixed(0)} |`);
  }
}

// 1M lines, 3 machines.
const big = `${OUT}/analyze_1M`;
await simulate(big, ["--duration", "111", "--rate-min", "1000", "--rate-max", "6000"]);
console.log(`## 1M (${lines(big)} lines, 3 machines), median of ${runs}\n`);
await analyzeTable(big);
const inner = await timed([
  ...["run", "--allow-read", "--allow-write=bench/out", "--allow-run", "--allow-env"],
  ...["bench/causality_bench.ts", "--inner", "inprocess", "--dir", big, "--runs", String(runs)],
]);
const ip = JSON.parse(inner.stdout);
console.log(
  `\nIn-process analyzeLogs (no output), best of ${runs}: without causality ${
    ip.skip.toFixed(2)
  } s wall / ${ip.skipCpu.toFixed(2)} s CPU, with ${ip.with.toFixed(2)} s / ${
    ip.withCpu.toFixed(2)
  } s: +${(ip.with - ip.skip).toFixed(2)} s wall, +${(ip.withCpu - ip.skipCpu).toFixed(2)} s CPU`,
);
await trackerTable(big);

// The report at ~100k events.
const mid = `${OUT}/report_100k`;
await simulate(mid, ["--duration", "40", "--rate-min", "700", "--rate-max", "1000"]);
console.log(`\n## 100k (${lines(mid)} lines), median of ${runs}\n`);
await analyzeTable(mid);
const size = Deno.statSync(`${mid}_out/analysis_report.html`).size;
console.log(`\nanalysis_report.html: ${(size / 1e6).toFixed(2)} MB`);
if (values.browser) {
  console.log(await browserTimes(`${Deno.cwd()}/${mid}_out/analysis_report.html`));
}

// 1000 machines: the tracker alone.
const wide = `${OUT}/sim1000`;
await simulate(wide, ["--count", "1000", "--duration", "60"]);
console.log(`\n## 1000 machines (${lines(wide)} lines)`);
await trackerTable(wide);

/** Reading alone against reading + the causality tracker (with its stores), in a child. */
async function trackerTable(dir: string): Promise<void> {
  console.log(`\nTracker alone, median of ${runs}:\n`);
  console.log(
    "| pass | wall s | CPU s | peak RSS MB | causality |\n| --- | ---: | ---: | ---: | --- |",
  );
  for (const mode of ["read", "causality"]) {
    const r = await median([
      ...["run", "--allow-read", "--allow-write=bench/out", "--allow-run", "--allow-env"],
      ...["bench/causality_bench.ts", "--inner", mode, "--dir", dir],
    ]);
    const j = JSON.parse(r.stdout);
    const what = mode === "read"
      ? ""
      : j.available
      ? `${j.events} events, ambiguity rate ${(j.rate * 100).toFixed(2)}%`
      : `skipped: ${j.reason}`;
    console.log(
      `| ${mode === "read" ? "read + parse + merge" : "… + causality"} | ${r.wall.toFixed(2)} | ${
        j.cpu.toFixed(2)
      } | ${r.rssMb.toFixed(0)} | ${what} |`,
    );
  }
}

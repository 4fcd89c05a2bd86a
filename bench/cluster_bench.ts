/**
 * Benchmark of the real cluster (`run_machine.ts`, TCP nodes on 127.0.0.1).
 *
 * ```sh
 * deno run --allow-run --allow-read --allow-write=bench/out bench/cluster_bench.ts [N ...]
 * ```
 *
 * 1. Start-up to first tick for 3 nodes (3 runs): from spawning `run_machine.ts` to the first
 *    tick in any log, and run_machine's own figure (first node spawned → start instant).
 * 2. For each N (default 8 16 32): N nodes, default random rates 1..6, 10 s; reports wall time,
 *    messages sent / received / queued at END / undelivered / unaccounted, and the nodes' RSS
 *    (sampled with `ps` every second while they tick; max per node, then median and max).
 *
 * @module
 */
import { accountMessages, readLog } from "../tests/support/log_check.ts";
import { accountingLines, sampleNodeRss } from "./_cluster_measure.ts";

const RUN_MACHINE = new URL("../run_machine.ts", import.meta.url).pathname;
const OUT = "bench/out/cluster";
const sizes = Deno.args.length ? Deno.args.map(Number) : [8, 16, 32];
Deno.mkdirSync(OUT, { recursive: true });

function runMachine(dir: string, args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-run=deno",
      `--allow-read=${OUT}`,
      `--allow-write=${OUT}`,
      RUN_MACHINE,
      "--logs-dir",
      dir,
      "--quiet",
      "--base-port",
      "7001",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

function logsOf(dir: string) {
  return [...Deno.readDirSync(dir)].filter((e) => /^machine_\d+\.log$/.test(e.name))
    .map((e) => readLog(`${dir}/${e.name}`));
}

const TICKS = new Set(["SEND", "RECEIVE", "INTERNAL"]);

console.log("## start-up to first tick, 3 nodes");
for (let i = 0; i < 3; i++) {
  const dir = `${OUT}/startup_${i}`;
  const t0 = Date.now();
  const res = await runMachine(dir, ["--count", "3", "--duration", "1", "--seed", `${i}`]).output();
  const text = new TextDecoder().decode(res.stdout);
  const own = /Start-up to first tick: (\d+) ms/.exec(text)?.[1];
  const first = Math.min(
    ...logsOf(dir).flat().filter((e) => TICKS.has(e.event)).map((e) => e.system_time * 1000),
  );
  console.log(
    `run ${i + 1}: exit ${res.code}; spawn of run_machine -> first tick ${
      Math.round(first - t0)
    } ms; run_machine's figure (first node spawned -> start instant) ${own} ms`,
  );
}

for (const n of sizes) {
  const dir = `${OUT}/n${n}`;
  const t0 = performance.now();
  const child = runMachine(dir, ["--count", `${n}`, "--duration", "10", "--seed", `${n}`]);
  const rss = sampleNodeRss(dir);
  const res = await child.output();
  const kb = await rss.stop();
  const wall = (performance.now() - t0) / 1000;
  const logs = logsOf(dir);
  const acc = accountMessages(logs);
  const ends = logs.filter((l) => l.at(-1)?.event === "END").length;
  const ticks = logs.flat().filter((e) => TICKS.has(e.event)).length;
  console.log(
    `## N=${n}: exit ${res.code}, wall ${
      wall.toFixed(1)
    } s, logs ${logs.length} (${ends} end with END), ` +
      `tick events ${ticks}`,
  );
  for (const line of accountingLines(acc, kb)) console.log(line);
  if (res.code !== 0) console.log(new TextDecoder().decode(res.stderr).slice(0, 2000));
}
Deno.removeSync(OUT, { recursive: true });

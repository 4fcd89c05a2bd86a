/**
 * Large real clusters on this host: how long N TCP nodes on 127.0.0.1 take to link, run and
 * finish, with and without the shared secret, and what each node costs (RSS).
 *
 * ```sh
 * deno task bench:cluster-scale        # N = 64 and 128, 20 s, secret and plain
 * deno run --allow-run --allow-read --allow-write=bench/out bench/cluster_scale_bench.ts \
 *   [--sizes 64,128] [--duration 20] [--modes secret,plain] [--base-port 17001] [--keep]
 * ```
 *
 * Each run is `runCluster` (what `run_machine.ts` runs), one at a time: "secret" as
 * `run_machine.ts` runs it (a fresh per-run secret, every link authenticated), "plain" with no
 * secret (the same as nodes of a cluster file without `secret_file`). For each run it prints:
 *
 * - the phases, from the logs: first STARTUP → last STARTUP (every node listening), → last
 *   LINK_UP (every link up), → first tick (the common start), → last END; and run_machine's
 *   outcome (ok, or its error) and wall time;
 * - RSS per node (sampled with `ps` every second; max per node, then median and max);
 * - the accounting of the logs (sent, received, queued at END, undelivered, unaccounted, LINK_DOWN);
 * - the analyzer's status line and exit code (`analyze_logs.ts <dir> --no-png`).
 *
 * It exits 1 when a run failed or its analysis did not exit 0. Not part of `deno task test`
 * (a 128-node run takes about a minute of both cores); figures are in BENCHMARKS.md, "Cluster".
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runCluster } from "../lib/cluster/run.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { MAX_REAL_NODES } from "../lib/cli/flag_specs.ts";
import { accountMessages, readLog } from "../tests/support/log_check.ts";
import { accountingLines, sampleNodeRss } from "./_cluster_measure.ts";

const OUT = "bench/out/cluster_scale";
const ANALYZER = new URL("../analyze_logs.ts", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "64,128" },
    duration: { type: "string", default: "20" },
    modes: { type: "string", default: "secret,plain" },
    "base-port": { type: "string", default: "17001" },
    keep: { type: "boolean", default: false },
  },
});
const sizes = values.sizes.split(",").map(Number);
const modes = values.modes.split(",");
for (const m of modes) {
  if (m !== "secret" && m !== "plain") {
    throw new Error(
      `Cannot use --modes as each must be "secret" or "plain": current value is "${m}"`,
    );
  }
}

function phases(dir: string) {
  const logs = [...Deno.readDirSync(dir)].filter((e) => /^machine_\d+\.log$/.test(e.name))
    .map((e) => readLog(`${dir}/${e.name}`));
  const times = (events: string[]) =>
    logs.flat().filter((e) => events.includes(e.event)).map((e) => e.system_time);
  const starts = times(["STARTUP"]);
  const t0 = Math.min(...starts);
  const at = (xs: number[], f: (...v: number[]) => number) => xs.length ? f(...xs) - t0 : NaN;
  return {
    logs,
    listening: at(starts, Math.max),
    linked: at(times(["LINK_UP"]), Math.max),
    firstTick: at(times(["SEND", "RECEIVE", "INTERNAL"]), Math.min),
    lastEnd: at(times(["END"]), Math.max),
    ends: logs.filter((l) => l.at(-1)?.event === "END").length,
    linkDowns: times(["LINK_DOWN"]).length,
  };
}

async function analyze(dir: string): Promise<{ code: number; status: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${OUT}`,
      "--allow-ffi",
      "--allow-sys=cpus,networkInterfaces,hostname",
      ANALYZER,
      dir,
      "--no-png",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, status: /^Status: .*$/m.exec(text)?.[0] ?? text.slice(-300) };
}

const s = (x: number) => x.toFixed(1);
let failed = false;
Deno.mkdirSync(OUT, { recursive: true });
for (const n of sizes) {
  for (const mode of modes) {
    const dir = `${OUT}/n${n}_${mode}`;
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* not there */ }
    Deno.mkdirSync(dir, { recursive: true });
    // Above the --count bound (to measure the margin), parsed as 1 node and then widened.
    const options = parseClusterArgs([
      "--count",
      `${Math.min(n, MAX_REAL_NODES)}`,
      "--duration",
      values.duration,
      "--seed",
      `${n}`,
      "--base-port",
      values["base-port"],
      "--logs-dir",
      dir,
      "--quiet",
    ]);
    options.count = n;
    if (mode === "plain") options.secretFile = null;
    const rss = sampleNodeRss(dir);
    const t0 = performance.now();
    const result = await runCluster(options, { dir, progress: "none" });
    const wall = (performance.now() - t0) / 1000;
    const kb = await rss.stop();
    const p = phases(dir);
    const acc = accountMessages(p.logs);
    const analysis = await analyze(dir);
    failed ||= !result.ok || analysis.code !== 0;
    const above = n > MAX_REAL_NODES ? ` (above the --count bound ${MAX_REAL_NODES})` : "";
    console.log(`## N=${n} ${mode}${above}: ${result.ok ? "ok" : `FAILED: ${result.error}`}`);
    console.log(
      `  wall ${s(wall)} s; from the first STARTUP: all listening ${s(p.listening)} s, ` +
        `all linked ${s(p.linked)} s, first tick ${s(p.firstTick)} s, last END ${
          s(p.lastEnd)
        } s; logs ending in END ${p.ends}/${n}; LINK_DOWN ${p.linkDowns}`,
    );
    for (const line of accountingLines(acc, kb)) console.log(line);
    console.log(`  analyzer: exit ${analysis.code}, ${analysis.status}`);
    if (!values.keep) Deno.removeSync(dir, { recursive: true });
  }
}
if (failed) Deno.exit(1);

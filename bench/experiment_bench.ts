/**
 * Experiment benchmark: wall time, user and system CPU time and peak RSS of the default
 * protocol exactly as users run it, `deno task experiment` (4 scenarios × 5 trials × 60 s),
 * measured with `/usr/bin/time`, for the default `--jobs` and for `--jobs 1` and `--jobs 2`.
 * CPU time is reported because the machine is shared: wall time depends on the other jobs.
 *
 * Usage (from the repository root; `deno task bench:experiment` runs it with these flags):
 *   deno run --allow-run=/usr/bin/time,deno --allow-read=logs --allow-write=logs \
 *     --allow-sys=loadavg bench/experiment_bench.ts [--runs 5]
 *
 * Outputs go to logs/.bench-experiment/ (the only place the task may write) and are removed.
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "5" } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `Cannot use --runs: current value is ${JSON.stringify(values.runs)} (want an integer >= 1)`,
  );
  Deno.exit(2);
}
const OUT = "logs/.bench-experiment";

function load(): string {
  return Deno.loadavg()[0].toFixed(2);
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
}

const rows: string[][] = [];
try {
  for (const jobs of [null, 1, 2]) {
    const m: number[][] = [];
    const loads: string[] = [];
    for (let i = 0; i < runs; i++) {
      loads.push(load());
      const out = `${OUT}/${jobs ?? "default"}_${i}`;
      const args = ["-f", "%e %U %S %M", "deno", "task", "--quiet", "experiment", "--quiet"];
      args.push(
        "--seed",
        String(i + 1),
        "--out",
        out,
        ...(jobs === null ? [] : ["--jobs", String(jobs)]),
      );
      const r = await new Deno.Command("/usr/bin/time", { args, stdout: "null", stderr: "piped" })
        .output();
      const last = new TextDecoder().decode(r.stderr).trim().split("\n").at(-1)!;
      if (r.code !== 0) {
        throw new Error(`Cannot run the experiment (jobs ${jobs ?? "default"}): ${last}`);
      }
      m.push(last.split(" ").map(Number));
    }
    const col = (k: number) => m.map((x) => x[k]);
    rows.push([
      jobs === null ? "default (cores, at most 4)" : String(jobs),
      col(0).map((x) => x.toFixed(2)).join(", "),
      median(col(0)).toFixed(2),
      median(col(1)).toFixed(2),
      median(col(2)).toFixed(2),
      (Math.max(...col(3)) / 1024).toFixed(0),
      loads.join(", "),
    ]);
  }
} finally {
  Deno.removeSync(OUT, { recursive: true });
}
console.log(
  "| --jobs | wall s (runs) | wall s median | user s median | sys s median | peak RSS MiB | load average at start |",
);
console.log("| --- | --- | ---: | ---: | ---: | ---: | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);

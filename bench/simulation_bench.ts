/**
 * Benchmark of the virtual-time simulation: events written to disk per second.
 *
 * ```sh
 * deno run --allow-read=bench/out --allow-write=bench/out bench/simulation_bench.ts [events]
 * ```
 *
 * Runs 10 nodes at a fixed 10 000 ticks/s for as many virtual seconds as give the requested
 * number of tick events (default 2 000 000), three times, and prints the best and median
 * rate of log lines written per wall second (file closed, i.e. all bytes handed to the OS).
 *
 * @module
 */
import { planNodes } from "../lib/cluster/plan.ts";
import { runSimulation } from "../lib/sim/simulation.ts";

const target = Number(Deno.args[0] ?? 2_000_000);
const count = 10, rate = 10_000;
const duration = target / count / rate;
const dir = "bench/out/simulation";
Deno.mkdirSync(dir, { recursive: true });
const runs: { lines: number; ms: number; bytes: number }[] = [];
for (let i = 0; i < 3; i++) {
  const plan = planNodes(dir, { count, basePort: 5001, bind: "127.0.0.1", seed: 42 });
  const t0 = performance.now();
  const r = await runSimulation(plan, {
    duration,
    startMs: 1_700_000_000_000,
    networkSeed: 7,
    rate,
  });
  const ms = performance.now() - t0;
  const bytes = plan.reduce((a, n) => a + Deno.statSync(n.log).size, 0);
  runs.push({ lines: r.events, ms, bytes });
}
const rates = runs.map((r) => r.lines / (r.ms / 1000)).sort((a, b) => a - b);
const r0 = runs[0];
console.log(
  `simulation: ${count} nodes x ${rate} ticks/s x ${duration} s: ${r0.lines} lines, ` +
    `${(r0.bytes / 2 ** 20).toFixed(0)} MiB per run`,
);
console.log(
  `  wall ms per run: ${runs.map((r) => r.ms.toFixed(0)).join(", ")}; ` +
    `lines/s best ${Math.round(rates[2])}, median ${Math.round(rates[1])}`,
);
Deno.removeSync(dir, { recursive: true });

/**
 * `run_machine.ts --simulate`: the planned cluster run in virtual time in this process
 * (see `lib/sim/simulation.ts`), reported like a real run.
 *
 * @module
 */
import { deriveSeed } from "../core/prng.ts";
import { runSimulation, type SimulationResult } from "../sim/simulation.ts";
import type { ClusterOptions } from "./options.ts";
import { planNodes } from "./plan.ts";
import type { ClusterResult } from "./run.ts";
import { onStopSignals } from "../io/stop_signals.ts";

/** Result of a simulated cluster run: the common result plus the simulation's figures. */
export interface SimulatedClusterResult extends ClusterResult {
  simulation: SimulationResult;
  /** Wall-clock ms the simulation took. */
  wallMs: number;
}

/**
 * Simulates the cluster `options` describes, writing `<dir>/machine_<id>.log`. The virtual
 * start is `startMs` (default `--start-at`, else now rounded to the ms); the network's delay
 * PRNG is seeded from the run seed, so the same seed and start give byte-identical logs.
 * SIGINT/SIGTERM (or `signal`) end every node at the virtual time reached, with END.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClusterArgs } from "../cli/cluster_args.ts";
 * import { runSimulationCluster } from "./simulate.ts";
 * const dir = Deno.makeTempDirSync();
 * const options = parseClusterArgs(["--simulate", "--seed", "1", "--duration", "5"]);
 * const r = await runSimulationCluster(options, { dir, startMs: 0, handleSignals: false });
 * assert.equal(r.ok, true);
 * assert.equal(r.nodes.length, 3);
 * assert.ok(Deno.statSync(`${dir}/machine_3.log`).size > 0);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function runSimulationCluster(
  options: ClusterOptions,
  io: { dir: string; startMs?: number; handleSignals?: boolean; signal?: AbortSignal },
): Promise<SimulatedClusterResult> {
  const plan = planNodes(io.dir, options);
  const stop = new AbortController();
  let interrupted: Deno.Signal | null = null;
  const removeSignals = (io.handleSignals ?? true)
    ? onStopSignals((s) => {
      interrupted ??= s;
      stop.abort();
    })
    : () => {};
  if (io.signal?.aborted) stop.abort();
  io.signal?.addEventListener("abort", () => stop.abort());
  const t0 = performance.now();
  let simulation: SimulationResult;
  try {
    simulation = await runSimulation(plan, {
      duration: options.duration,
      startMs: io.startMs ?? options.startAt ?? Math.round(Date.now()),
      networkSeed: deriveSeed(options.seed, options.count),
      delayMs: options.delayMs,
      rate: options.rate,
      rateRange: options.rateRange,
      dieSides: options.dieSides,
      signal: stop.signal,
    });
  } finally {
    removeSignals();
  }
  const early = simulation.stoppedAt !== null;
  return {
    dir: io.dir,
    ok: !early,
    error: early
      ? `stopped at virtual time ${new Date(simulation.stoppedAt!).toISOString()} (END written)`
      : null,
    interrupted: early ? interrupted : null,
    startAt: io.startMs ?? options.startAt ?? null,
    startupMs: null,
    nodes: plan.map((n, i) => ({
      id: n.id,
      port: n.port,
      log: n.log,
      finalClock: simulation.finalClocks[i],
      started: true,
      rate: simulation.rates[i],
      code: 0,
      signal: null,
      error: null,
    })),
    simulation,
    wallMs: performance.now() - t0,
  };
}

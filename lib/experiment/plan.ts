/**
 * What an experiment runs: scenarios (each a set of cluster options), trials per scenario,
 * and the seeds and directories of every trial. Plain data, so a trial can be handed to a
 * worker as is.
 *
 * @module
 */
import type { ClusterOptions } from "../cluster/options.ts";
import { deriveSeed } from "../core/prng.ts";

/**
 * Virtual start instant of every simulated trial (2026-01-01T00:00:00Z): fixed, so the same
 * seed gives the same bytes — logs, analyses and `experiment.json` alike.
 */
export const VIRTUAL_START_MS = Date.UTC(2026, 0, 1);

/** One scenario: a name and the cluster options its trials run with. */
export interface Scenario {
  /** Name, e.g. "baseline" or "count=8". */
  name: string;
  /** Directory of its trials, relative to the experiment's output directory. */
  dir: string;
  /** The run flags it sets, as given (e.g. `{ "rate-min": "3", "rate-max": "4" }`). */
  flags: Record<string, string>;
  /** Cluster options of its trials (the trial's seed replaces `seed`). */
  options: ClusterOptions;
  /** The swept flag's value, in a `--sweep` experiment. */
  sweepValue: number | null;
  /** Name of the scenario a sweep point was made from, in a `--sweep` experiment. */
  sweepBase: string | null;
}

/** A one-parameter sweep. */
export interface Sweep {
  /** Run flag swept, e.g. "count". */
  flag: string;
  /** Its values, in order. */
  values: number[];
}

/** Everything an experiment needs. */
export interface ExperimentPlan {
  /** Experiment seed: trial k of every scenario runs with `trialSeed(seed, k)`. */
  seed: number;
  /** Trials per scenario. */
  trials: number;
  /** Scenarios, in report order (the first is the reference of comparisons). */
  scenarios: Scenario[];
  /** The sweep, if any. */
  sweep: Sweep | null;
  /** Real TCP clusters instead of the simulation. */
  real: boolean;
}

/** One trial to run. */
export interface TrialSpec {
  /** Scenario index in the plan. */
  scenario: number;
  /** Trial number, 1-based. */
  trial: number;
  /** Seed of the trial's run (node seeds are derived from it). */
  seed: number;
  /** Directory relative to the output directory, e.g. "baseline/trial_1". */
  dir: string;
  /** Cluster options with the trial's seed. */
  options: ClusterOptions;
}

/**
 * Seed of trial `trial` (1-based): the same in every scenario (common random numbers), so
 * scenarios are compared on the same random draws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trialSeed } from "./plan.ts";
 * assert.equal(trialSeed(262, 1), trialSeed(262, 1));
 * assert.notEqual(trialSeed(262, 1), trialSeed(262, 2));
 * ```
 */
export function trialSeed(seed: number, trial: number): number {
  return deriveSeed(seed ^ 0x45787031, trial - 1);
}

/**
 * Every trial of the plan, scenario by scenario, in the order results are reported.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trialSpecs } from "./plan.ts";
 * const options = { count: 3, duration: 60 } as never;
 * const specs = trialSpecs({
 *   seed: 1, trials: 2, sweep: null, real: false,
 *   scenarios: [{ name: "a", dir: "a", flags: {}, options, sweepValue: null, sweepBase: null }],
 * });
 * assert.deepEqual(specs.map((s) => s.dir), ["a/trial_1", "a/trial_2"]);
 * ```
 */
export function trialSpecs(plan: ExperimentPlan): TrialSpec[] {
  const width = String(plan.trials).length;
  return plan.scenarios.flatMap((s, i) =>
    Array.from({ length: plan.trials }, (_, k) => {
      const seed = trialSeed(plan.seed, k + 1);
      return {
        scenario: i,
        trial: k + 1,
        seed,
        dir: `${s.dir}/trial_${String(k + 1).padStart(width, "0")}`,
        options: { ...s.options, seed, seedGiven: true },
      };
    })
  );
}

/**
 * A directory name for a scenario name: letters, digits, `.`, `-` and `_` kept, anything
 * else becomes `_`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scenarioDir } from "./plan.ts";
 * assert.equal(scenarioDir("count=8"), "count_8");
 * ```
 */
export function scenarioDir(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}

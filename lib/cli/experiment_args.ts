/**
 * Command-line flags of `experiment.ts`, parsed into an {@linkcode ExperimentPlan}. Every
 * scenario and sweep point is validated by `run_machine`'s own parser
 * ({@linkcode parseClusterArgs}), so a run flag means and allows the same values here.
 *
 * @module
 */
import type { ExperimentPlan } from "../experiment/plan.ts";
import { parseFlags } from "./flag_parse.ts";
import { formatHelp } from "./flag_help.ts";
import { randomSeed, UsageError } from "./flag_values.ts";
import { EXPERIMENT_FLAGS } from "./experiment_flags.ts";
import { buildScenarios, parseScenarioSpec, parseSweepSpec } from "./experiment_scenarios.ts";

/** What `experiment.ts` was asked to do. */
export interface ExperimentArgs {
  /** The experiment. */
  plan: ExperimentPlan;
  /** Whether `--seed` was given (else it was drawn at random and is printed). */
  seedGiven: boolean;
  /** `--out`, when given. */
  out: string | undefined;
  /** Trials run at once (workers, or real clusters with `--real`). */
  jobs: number;
  /** No progress display. */
  quiet: boolean;
  /** `--help` was given. */
  help: boolean;
}

/** Help text of `experiment.ts`, made from {@linkcode EXPERIMENT_FLAGS}. */
export const EXPERIMENT_USAGE: string = formatHelp(EXPERIMENT_FLAGS, {
  usage: "Usage: deno task experiment [options]",
  intro: `Runs the course assignment's protocol in one command: each scenario × --trials runs of
--count machines for --duration seconds (simulated in virtual time unless --real), analyzes
every trial with the analyzer, and writes experiment.md (means and 95% Student-t confidence
intervals, comparisons, predictions), experiment.json, experiment.svg and experiment.png.

Default scenarios (the assignment's): baseline (rates 1-6, die 10), narrow-rates (rates 3-4),
fewer-internal (die 4), both.`,
  outro: `Exit codes: 0 done and every analyzer check held, 1 a trial failed or a check failed,
2 bad usage, 130/143 interrupted.`,
}).trimEnd();

/**
 * Parses `experiment.ts` arguments; throws a {@linkcode UsageError} naming the bad flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseExperimentArgs } from "./experiment_args.ts";
 * const a = parseExperimentArgs(["--seed", "7", "--trials", "3"]);
 * assert.deepEqual(a.plan.scenarios.map((s) => s.name), [
 *   "baseline", "narrow-rates", "fewer-internal", "both",
 * ]);
 * assert.throws(() => parseExperimentArgs(["--trials", "0"]), /--trials/);
 * ```
 */
export function parseExperimentArgs(
  args: string[],
  options: { randomSeed?: () => number; cores?: number } = {},
): ExperimentArgs {
  const flags = parseFlags(EXPERIMENT_FLAGS, args);
  const help = flags.boolean("help");
  const real = flags.boolean("real");
  const trials = flags.number("trials")!;
  const duration = flags.number("duration")!;
  const count = flags.number("count")!;
  const seed = flags.given("seed") ? flags.number("seed")! : (options.randomSeed ?? randomSeed)();
  if (flags.given("base-port") && !real) {
    throw new UsageError(
      `Cannot use --base-port without --real: current value is ${flags.text("base-port")} ` +
        `(simulated trials use no ports)`,
    );
  }
  const basePort = flags.number("base-port")!;
  const out = flags.string("out");
  const cores = options.cores ?? navigator.hardwareConcurrency ?? 1;
  const jobs = flags.given("jobs") ? flags.number("jobs")! : Math.max(1, Math.min(cores, 4));
  const scenarioSpecs = flags.texts("scenario").map(parseScenarioSpec);
  const sweepText = flags.string("sweep");
  const sweep = sweepText === undefined ? null : parseSweepSpec(sweepText);
  const scenarios = buildScenarios({
    specs: scenarioSpecs,
    sweep,
    defaults: { count, duration, basePort, real, jobs },
  });
  if (scenarios.length * trials > 10_000) {
    throw new UsageError(
      `Cannot use --trials ${trials} as an experiment must have at most 10000 runs: current ` +
        `experiment has ${scenarios.length} scenarios × ${trials} trials = ` +
        `${scenarios.length * trials} runs`,
    );
  }
  return {
    plan: {
      seed,
      trials,
      scenarios,
      sweep: sweep && { flag: sweep.flag, values: sweep.values },
      real,
    },
    seedGiven: flags.given("seed"),
    out,
    jobs,
    quiet: flags.boolean("quiet"),
    help,
  };
}

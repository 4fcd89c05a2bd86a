/**
 * Command-line flags of `experiment.ts`, parsed into an {@linkcode ExperimentPlan}. Every
 * scenario and sweep point is validated by `run_machine`'s own parser
 * ({@linkcode parseClusterArgs}), so a run flag means and allows the same values here.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { errorMessage } from "../core/errors.ts";
import type { ExperimentPlan } from "../experiment/plan.ts";
import { integerFlag, MAX_DURATION_S, numberFlag, randomSeed, UsageError } from "./flag_values.ts";
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

/** Help text of `experiment.ts`. */
export const EXPERIMENT_USAGE = `Usage: deno task experiment [options]

Runs the course assignment's protocol in one command: each scenario × --trials runs of
--count machines for --duration seconds (simulated in virtual time unless --real), analyzes
every trial with the analyzer, and writes experiment.md (means and 95% Student-t confidence
intervals, comparisons, predictions), experiment.json, experiment.svg and experiment.png.

Default scenarios (the assignment's): baseline (rates 1-6, die 10), narrow-rates (rates 3-4),
fewer-internal (die 4), both.

Options:
  --trials N           trials per scenario (1..1000); default 5
  --duration S         seconds each trial runs (0 < S <= ${MAX_DURATION_S}); default 60
  --count N            machines per trial (1..100); default 3
  --seed N             experiment seed (0..2^32-1); trial k of every scenario uses the same
                       seed derived from it; default random (printed, to repeat the run)
  --scenario SPEC      name:flag=value,... (repeatable; replaces the default scenarios), with
                       run flags count, duration, rate, rate-min, rate-max, die-sides,
                       delay-min, delay-max, e.g. --scenario "slow:rate-min=1,rate-max=2"
  --sweep SPEC         flag=a..b[:step]: one scenario per value (of each --scenario, else of
                       the baseline), e.g. --sweep count=2..32 or --sweep die-sides=4..20:4
  --real               run every trial as a real TCP cluster (as run_machine; slow, for a
                       final check): use deno task experiment:real
  --base-port N        with --real: port of node 1 of the first cluster; default 5001
  --out DIR            output directory (new or empty); default logs/experiment_<time>
  --jobs N             trials at once, in parallel workers (1..64); default the cores, at
                       most 4. Results do not depend on it
  --quiet              no progress display
  -h, --help           this text

Exit codes: 0 done and every analyzer check held, 1 a trial failed or a check failed,
2 bad usage, 130/143 interrupted.`;

const STRING_FLAGS = [
  "trials",
  "duration",
  "count",
  "seed",
  "sweep",
  "base-port",
  "out",
  "jobs",
] as const;

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
  let values: Record<string, string | boolean | string[] | undefined>;
  let tokens: { kind: string; name?: string }[];
  try {
    ({ values, tokens } = parseArgs({
      args,
      options: {
        ...Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: "string" as const }])),
        scenario: { type: "string", multiple: true },
        real: { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    }));
  } catch (err) {
    throw new UsageError(parseError(err));
  }
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== "option" || t.name === "scenario") continue;
    if (seen.has(t.name!)) {
      throw new UsageError(
        `Cannot use --${t.name} twice: current value is given twice (want once)`,
      );
    }
    seen.add(t.name!);
  }
  const str = (k: string) => values[k] as string | undefined;
  const help = values.help === true;
  const real = values.real === true;
  const trials = integerFlag("trials", str("trials") ?? "5", { min: 1, max: 1000 });
  const duration = numberFlag("duration", str("duration") ?? "60", { min: 0, max: MAX_DURATION_S });
  if (duration === 0) {
    throw new UsageError(
      `Cannot use --duration: current value is ${JSON.stringify(str("duration"))} (want a ` +
        `number > 0, at most ${MAX_DURATION_S})`,
    );
  }
  const count = integerFlag("count", str("count") ?? "3", { min: 1, max: 100 });
  const seedText = str("seed");
  const seed = seedText === undefined
    ? (options.randomSeed ?? randomSeed)()
    : integerFlag("seed", seedText, { min: 0, max: 2 ** 32 - 1 });
  const basePortText = str("base-port");
  if (basePortText !== undefined && !real) {
    throw new UsageError(
      `Cannot use --base-port: current value is ${JSON.stringify(basePortText)} (only with ` +
        `--real; simulated trials use no ports)`,
    );
  }
  const basePort = integerFlag("base-port", basePortText ?? "5001", { min: 1, max: 65535 });
  const out = str("out");
  if (out !== undefined && out.trim() === "") {
    throw new UsageError(`Cannot use --out: current value is "" (want a directory)`);
  }
  const cores = options.cores ?? navigator.hardwareConcurrency ?? 1;
  const jobs = str("jobs") === undefined
    ? Math.max(1, Math.min(cores, 4))
    : integerFlag("jobs", str("jobs")!, { min: 1, max: 64 });
  const scenarioSpecs = ((values.scenario as string[] | undefined) ?? []).map(parseScenarioSpec);
  const sweep = str("sweep") === undefined ? null : parseSweepSpec(str("sweep")!);
  const scenarios = buildScenarios({
    specs: scenarioSpecs,
    sweep,
    defaults: { count, duration, basePort, real, jobs },
  });
  if (scenarios.length * trials > 10_000) {
    throw new UsageError(
      `Cannot use --trials ${trials}: current experiment has ${scenarios.length} scenarios × ` +
        `${trials} trials = ${scenarios.length * trials} runs (want at most 10000)`,
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
    seedGiven: seedText !== undefined,
    out,
    jobs,
    quiet: values.quiet === true,
    help,
  };
}

/** One line for a `parseArgs` error, naming the flag. */
function parseError(err: unknown): string {
  const message = errorMessage(err);
  const code = (err as { code?: string } | null)?.code;
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return `Cannot use ${flag}: current flag is unknown (want one of --trials, --duration, ` +
      `--count, --seed, --scenario, --sweep, --real, --base-port, --out, --jobs, --quiet, --help)`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/argument missing/.test(message)) {
      return `Cannot use ${flag}: current value is missing (want a value after it)`;
    }
    if (/ambiguous/.test(message)) {
      return `Cannot use ${flag}: current value starts with "-" (want a value; write ` +
        `${flag}=-… if it really starts with "-")`;
    }
    return `Cannot use ${flag}: current value is given but it takes none`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const arg = /'([^']*)'/.exec(message)?.[1] ?? "";
    return `Cannot use argument ${
      JSON.stringify(arg)
    }: current value is not a flag (want --flag value)`;
  }
  return `Cannot parse the arguments: ${message}`;
}

/**
 * `experiment.ts`: the course assignment's whole protocol in one command — scenarios ×
 * trials of simulated (or, with `--real`, TCP) clusters, each analyzed by the analyzer, with
 * means, Student-t confidence intervals, paired comparisons and the queueing model's
 * predictions in `experiment.md`, `experiment.json`, `experiment.svg` and `experiment.png`.
 *
 * ```sh
 * deno task experiment                 # 4 scenarios × 5 trials × 60 s, simulated
 * deno task experiment --sweep count=2..32 --trials 3
 * deno task experiment:real --trials 2 --duration 20
 * ```
 *
 * Exit codes: 0 done and every analyzer check held; 1 a trial or a check failed, or an
 * output could not be written; 2 bad usage; 130 / 143 interrupted.
 *
 * @module
 */
import { EXPERIMENT_USAGE, parseExperimentArgs } from "./lib/cli/experiment_args.ts";
import { UsageError } from "./lib/cli/flag_values.ts";
import { detectLauncher } from "./lib/cluster/command.ts";
import { errorMessage } from "./lib/core/errors.ts";
import { experimentShape, meanCi, num } from "./lib/experiment/format.ts";
import { createExperimentDir, prepareOutDir } from "./lib/experiment/out_dir.ts";
import { workerPermissionProblem } from "./lib/experiment/pool.ts";
import { type ExperimentResult, runExperiment } from "./lib/experiment/run.ts";
import { onStopSignals } from "./lib/io/stop_signals.ts";

const NAME = "experiment.ts";

function granted(name: "read" | "write", path: string): boolean {
  return Deno.permissions.querySync({ name, path }).state === "granted";
}

/** The command that repeats this experiment (without --out, --jobs, --quiet). */
function repeatCommand(args: string[], o: { seed: number; seedGiven: boolean; real: boolean }) {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--out" || a === "--jobs") i++;
    else if (!/^--(out|jobs)=/.test(a) && a !== "--quiet" && a !== "--real") kept.push(a);
  }
  if (!o.seedGiven) kept.push("--seed", String(o.seed));
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);
  return [`deno task experiment${o.real ? ":real" : ""}`, ...kept.map(quote)].join(" ");
}

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseExperimentArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${NAME}: ${err.message}; see --help`);
    return 2;
  }
  if (parsed.help) {
    console.log(EXPERIMENT_USAGE);
    return 0;
  }
  const { plan } = parsed;
  if (plan.real) {
    const launcher = detectLauncher();
    if (
      Deno.permissions.querySync({ name: "run", command: launcher.execPath }).state !== "granted"
    ) {
      console.error(
        `${NAME}: Cannot use --real: current permissions do not allow starting ` +
          `"${launcher.execPath}" (run deno task experiment:real, which adds --allow-run=deno); see --help`,
      );
      return 2;
    }
  }
  const problem = workerPermissionProblem();
  if (problem !== null) {
    console.error(`${NAME}: ${problem}`);
    return 1;
  }
  const target = parsed.out ?? "logs";
  if (!granted("write", target) || !granted("read", target)) {
    console.error(
      `${NAME}: Cannot write the experiment to "${target}": current permissions do not allow ` +
        `reading and writing there (deno task experiment may use logs/ only: pass --out ` +
        `logs/<name>, or run with --allow-read=${target} --allow-write=${target})`,
    );
    return parsed.out === undefined ? 1 : 2;
  }
  let out: string;
  try {
    if (parsed.out === undefined) out = createExperimentDir("logs");
    else {
      const why = prepareOutDir(parsed.out);
      if (why !== null) {
        console.error(`${NAME}: ${why}; see --help`);
        return 2;
      }
      out = parsed.out.replace(/\/+$/, "") || ".";
    }
  } catch (err) {
    console.error(`${NAME}: ${errorMessage(err)}`);
    return 1;
  }
  const s0 = plan.scenarios[0].options;
  const jobs = Math.min(parsed.jobs, plan.scenarios.length * plan.trials);
  console.log(
    `Experiment: ${
      experimentShape({
        scenarios: plan.scenarios.length,
        trials: plan.trials,
        duration: s0.duration,
        count: s0.count,
        sweep: plan.sweep,
      })
    }, ${plan.real ? "real TCP clusters" : "simulated"}; ${jobs} at a time`,
  );
  console.log(
    `Seed: ${plan.seed}${parsed.seedGiven ? "" : " (random)"}; repeat with: ${
      repeatCommand(args, { ...plan, seedGiven: parsed.seedGiven })
    }`,
  );
  console.log(`Output: ${out}/`);
  const stop = new AbortController();
  let interrupted: Deno.Signal | null = null;
  const removeSignals = onStopSignals((s) => {
    interrupted ??= s;
    stop.abort();
  });
  let result: ExperimentResult;
  try {
    result = await runExperiment(plan, {
      out,
      jobs: parsed.jobs,
      progress: parsed.quiet ? "none" : Deno.stdout.isTerminal() ? "tty" : "plain",
      signal: stop.signal,
      command: repeatCommand(args, { ...plan, seedGiven: parsed.seedGiven }),
    });
  } catch (err) {
    if (interrupted !== null) {
      console.error(
        `${NAME}: Interrupted by ${interrupted}: trials so far are in ${out}/ (no report)`,
      );
      return interrupted === "SIGINT" ? 130 : 143;
    }
    console.error(`${NAME}: ${errorMessage(err)}`);
    return 1;
  } finally {
    removeSignals();
  }
  const { doc } = result;
  for (const s of doc.scenarios) {
    console.log(
      `  ${s.name.padEnd(16)} final drift ${meanCi(s.stats.final_drift)}  max queue (slowest) ` +
        `${meanCi(s.stats.max_queue_slowest)}  drift growth ${num(s.stats.drift_growth?.mean)}/s ` +
        `(predicted ${num(s.stats.predicted_drift_growth?.mean)})`,
    );
  }
  const trials = doc.scenarios.flatMap((s) => s.trials);
  const failed = trials.filter((t) => !t.checks_ok);
  console.log(
    failed.length === 0
      ? `Analyzer checks: all held in ${trials.length} trials`
      : `Analyzer checks: FAILED in ${failed.length} of ${trials.length} trials (see experiment.md)`,
  );
  for (const f of result.files) console.log(`Wrote ${f}`);
  console.log(`Inspect a trial: deno task analyze ${out}/${trials[0].dir}`);
  console.log(`Done in ${result.seconds.toFixed(1)} s`);
  return failed.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

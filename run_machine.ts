/**
 * A local cluster of Lamport nodes (real TCP processes, or `--simulate` in virtual time).
 *
 * ```sh
 * deno run --allow-run=deno --allow-read=logs --allow-write=logs run_machine.ts --count 3 --duration 60
 * ```
 *
 * @module
 */
import { detectLauncher, logsDirProblem } from "./lib/cluster/command.ts";
import { CLUSTER_USAGE, ClusterUsageError, parseClusterArgs } from "./lib/cli/cluster_args.ts";
import { formatReport, runAnalysis } from "./lib/cluster/report.ts";
import { claimRunDir, type RunDir } from "./lib/cluster/run_dir.ts";
import { type ClusterResult, runCluster } from "./lib/cluster/run.ts";
import { runSimulationCluster } from "./lib/cluster/simulate.ts";
import { errorMessage } from "./lib/core/errors.ts";

const SIGNALS: Deno.Signal[] = ["SIGINT", "SIGTERM"];

async function main(args: string[]): Promise<number> {
  let options;
  try {
    options = parseClusterArgs(args);
  } catch (err) {
    if (!(err instanceof ClusterUsageError)) throw err;
    console.error(`run_machine.ts: ${err.message}; see --help`);
    return 2;
  }
  if (options.help) {
    console.log(CLUSTER_USAGE.trimEnd());
    return 0;
  }
  const launcher = detectLauncher();
  const problem = logsDirProblem(options.logsDir ?? "logs", { launcher, args });
  if (problem !== null) {
    console.error(`run_machine.ts: ${problem}`);
    return 2;
  }
  let dir: RunDir;
  try {
    dir = claimRunDir({ logsDir: options.logsDir, count: options.count });
  } catch (err) {
    console.error(`run_machine.ts: ${errorMessage(err)}`);
    return 1;
  }
  const progress = options.quiet ? "none" : undefined;
  // The run handles SIGINT/SIGTERM while it lasts; once it is over, the same signal seen again
  // (`deno task` forwards a terminal's Ctrl-C, so it comes twice) must not kill this process
  // before it has reported how the run ended.
  const ignore = () => {};
  for (const s of SIGNALS) Deno.addSignalListener(s, ignore);
  let result: ClusterResult;
  try {
    result = options.simulate
      ? await runSimulationCluster(options, { dir: dir.path })
      : await runCluster(options, { dir: dir.path, launcher, progress });
  } catch (err) {
    console.error(`run_machine.ts: ${errorMessage(err)}`);
    return 1;
  }
  // A run that failed before its common start leaves nothing behind: no node ticked, and
  // its stub logs would read as a run where every check held.
  const discarded = !options.simulate && result.startAt === null ? dir.discard() : undefined;
  const report = formatReport(result, {
    launcher,
    seed: options.seed,
    simulated: options.simulate,
    analyze: options.analyze,
    discarded,
  });
  (result.ok ? console.log : console.error)(report.trimEnd());
  if (result.ok && options.analyze) {
    const code = await runAnalysis(launcher, dir.path);
    if (code !== 0) {
      const why = code === 3 ? " (incomplete: the run could not be fully checked)" : "";
      console.error(typeof code === "string" ? code : `Analyzer exited with code ${code}${why}`);
      return 1;
    }
  }
  if (result.interrupted === "SIGINT") return 130;
  if (result.interrupted === "SIGTERM") return 143;
  return result.ok ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

/**
 * Command-line flags of `run_machine.ts` (the original's `--logs_dir` and `--duration`, their
 * kebab-case forms and ours, see {@linkcode CLUSTER_FLAGS}), parsed and validated into
 * {@linkcode ClusterOptions}.
 *
 * @module
 */
import type { ClusterOptions } from "../cluster/options.ts";
import { orderedPair, parseFlags } from "./flag_parse.ts";
import { formatHelp } from "./flag_help.ts";
import { describeRange, randomSeed, UsageError } from "./flag_values.ts";
import { CLUSTER_FLAGS } from "./cluster_flags.ts";
import { MAX_REAL_NODES } from "./flag_specs.ts";
import { type ClusterArgsOptions, withClusterFile } from "./cluster_file_run.ts";

export type { ClusterArgsOptions };

/**
 * A bad `run_machine.ts` command line (exit 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClusterUsageError, parseClusterArgs } from "./cluster_args.ts";
 * assert.throws(() => parseClusterArgs(["--count", "0"]), ClusterUsageError);
 * ```
 */
export class ClusterUsageError extends UsageError {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ClusterUsageError";
  }
}

/** Help text of `run_machine.ts`, made from {@linkcode CLUSTER_FLAGS}. */
export const CLUSTER_USAGE: string = formatHelp(CLUSTER_FLAGS, {
  usage: "Usage: run_machine.ts [options]",
  intro: "Starts --count Lamport nodes on this host (ids 1..N, ports --base-port..), waits " +
    "until every\nnode listens and is linked to all its peers, starts them at one common " +
    "instant, shows their\nprogress, and stops when they finish. Logs: " +
    "<logs dir>/machine_<id>.log.",
  outro: "Stopping: Ctrl-C (SIGINT) or SIGTERM stops every node gracefully: each writes END " +
    "(within\n--grace), then run_machine exits 130 / 143. The same signal again within 1 s " +
    "counts once\n(deno task forwards a terminal's Ctrl-C, so it arrives twice). A second " +
    "Ctrl-C 1 s or more\nlater kills the nodes still running at once (their logs get no END). " +
    "If run_machine is\nkilled, each node sees its stdin close, writes END and exits.\n\n" +
    "Exit codes: 0 the run finished; 1 a node failed (or, with --analyze, the analyzer " +
    "did not\nexit 0); 2 usage error; 130 / 143 interrupted by SIGINT / SIGTERM.",
});

/**
 * Parses `run_machine.ts` arguments; throws {@linkcode ClusterUsageError} (one line) naming the
 * bad flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClusterArgs } from "./cluster_args.ts";
 * const o = parseClusterArgs(["--count", "4", "--duration", "8", "--seed", "7"]);
 * assert.equal(o.count, 4);
 * assert.throws(() => parseClusterArgs(["--count", "500"]), {
 *   message: "Cannot use --count as it must be an integer 1..128, or 1..1000 with --simulate: " +
 *     "current value is 500",
 * });
 * ```
 */
export function parseClusterArgs(
  args: string[],
  options: ClusterArgsOptions = {},
): ClusterOptions {
  try {
    return readClusterArgs(args, options);
  } catch (err) {
    if (!(err instanceof UsageError) || err instanceof ClusterUsageError) throw err;
    throw new ClusterUsageError(err.message, { cause: err.cause });
  }
}

function readClusterArgs(args: string[], options: ClusterArgsOptions): ClusterOptions {
  const flags = parseFlags(CLUSTER_FLAGS, args);
  const help = flags.boolean("help");
  if (help && args.length > 1) return { ...readClusterArgs([], options), help }; // nothing else checked
  if (flags.given("cluster") && !help) {
    return withClusterFile(readClusterArgs([], options), flags, options);
  }
  const simulate = flags.boolean("simulate");
  const count = flags.number("count")!;
  if (!simulate && count > MAX_REAL_NODES) {
    throw new UsageError(
      `Cannot use --count as it must be ${describeRange(flags.spec("count"))}: current value ` +
        `is ${count}`,
    );
  }
  const basePort = flags.number("base-port")!;
  if (basePort + count - 1 > 65535) {
    throw new UsageError(
      `Cannot use --base-port ${basePort} with --count ${count} as the last port must be ` +
        `<= 65535: current last port is ${basePort + count - 1}`,
    );
  }
  const [rateMin, rateMax] = orderedPair(flags, "rate-min", "rate-max");
  const [delayMin, delayMax] = orderedPair(flags, "delay-min", "delay-max");
  const startAt = flags.number("start-at");
  if (startAt !== undefined && !simulate) {
    throw new UsageError(
      `Cannot use --start-at without --simulate: current value is ${startAt} (a real cluster ` +
        `starts as soon as every node is linked)`,
    );
  }
  const seedGiven = flags.given("seed");
  return {
    count,
    basePort,
    duration: flags.number("duration")!,
    logsDir: flags.string("logs-dir"),
    seed: seedGiven ? flags.number("seed")! : (options.randomSeed ?? randomSeed)(),
    seedGiven,
    rate: flags.number("rate"),
    rateRange: [rateMin, rateMax],
    dieSides: flags.number("die-sides")!,
    bind: flags.string("bind")!,
    simulate,
    delayMs: [delayMin, delayMax],
    startAt,
    analyze: flags.boolean("analyze"),
    grace: flags.number("grace")!,
    quiet: flags.boolean("quiet"),
    help,
  };
}

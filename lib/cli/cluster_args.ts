/**
 * Command-line flags of `run_machine.ts` (the original's `--logs_dir` and `--duration`, their
 * kebab-case forms and ours), parsed and validated into {@linkcode ClusterOptions}.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { ClusterOptions } from "../cluster/options.ts";
import { integerFlag, MAX_DURATION_S, numberFlag, randomSeed, UsageError } from "./flag_values.ts";
import { errorMessage } from "../core/errors.ts";

/**
 * A bad `run_machine.ts` command line (exit 2).
 *
 * @example
 * ```ts
 * import { ClusterUsageError, parseClusterArgs } from "./cluster_args.ts";
 * try {
 *   parseClusterArgs(["--count", "0"]);
 * } catch (err) {
 *   err instanceof ClusterUsageError; // true
 * }
 * ```
 */
export class ClusterUsageError extends UsageError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ClusterUsageError";
  }
}

/** Help text of `run_machine.ts`. */
export const CLUSTER_USAGE = `Usage: run_machine.ts [options]

Starts --count Lamport nodes on this host (ids 1..N, ports --base-port..), waits until every
node listens and is linked to all its peers, starts them at one common instant, shows their
progress, and stops when they finish. Logs: <logs dir>/machine_<id>.log.

Options (original):
  --logs_dir DIR, --logs-dir DIR  log directory; default logs/run_YYYY-MM-DD_HH-MM-SS (unique)
  --duration S         seconds every node ticks (0..1000000), decimals allowed; default 60
Options (added):
  --count N            number of nodes (>= 1, one port each); default 3
  --base-port N        port of node 1 (node i: base + i - 1); default 5001
  --bind ADDR          address the nodes listen on and link to; default 127.0.0.1
  --seed N             run seed (0..2^32-1); each node's seed is derived from it; default random
  --rate R             fixed clock rate of every node (ticks/s, > 0); default random per node
  --rate-min N         lowest random rate; default 1
  --rate-max N         highest random rate; default 6
  --die-sides N        sides of the action die (>= 3); default 10
  --simulate           run the same nodes in virtual time in this process (no sockets, no waiting)
  --delay-min MS       simulated message delay, lowest (ms); default 1
  --delay-max MS       simulated message delay, highest (ms); default 5
  --start-at MS        simulated start instant (ms since the Unix epoch); default now. With the
                       same --seed and --start-at a simulation writes byte-identical logs
  --analyze            run analyze_logs on the logs when the run ends
  --grace S            wait this long (0.5..3600) for nodes to exit before killing them; default 2
  --quiet              no progress display
  --help               this text

Stopping: Ctrl-C (SIGINT) or SIGTERM stops every node gracefully: each writes END (within
--grace), then run_machine exits 130 / 143. The same signal again within 1 s counts once
(deno task forwards a terminal's Ctrl-C, so it arrives twice). A second Ctrl-C 1 s or more
later kills the nodes still running at once (their logs get no END). If run_machine is
killed, each node sees its stdin close, writes END and exits.

Exit codes: 0 the run finished; 1 a node failed (or, with --analyze, the analyzer did not
exit 0); 2 usage error; 130 / 143 interrupted by SIGINT / SIGTERM.
`;

const STRING_FLAGS = [
  "logs_dir",
  "logs-dir",
  "duration",
  "count",
  "base-port",
  "bind",
  "seed",
  "rate",
  "rate-min",
  "rate-max",
  "die-sides",
  "delay-min",
  "delay-max",
  "grace",
  "start-at",
] as const;
const BOOLEAN_FLAGS = ["simulate", "analyze", "quiet", "help"] as const;

/**
 * Parses `run_machine.ts` arguments; throws {@linkcode ClusterUsageError} naming the bad flag.
 *
 * @example
 * ```ts
 * import { parseClusterArgs } from "./cluster_args.ts";
 * const o = parseClusterArgs(["--count", "4", "--duration", "8", "--seed", "7"]);
 * o.count; // 4
 * ```
 */
export function parseClusterArgs(
  args: string[],
  options: { randomSeed?: () => number } = {},
): ClusterOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        ...Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: "string" as const }])),
        ...Object.fromEntries(BOOLEAN_FLAGS.map((f) => [f, { type: "boolean" as const }])),
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ClusterUsageError(errorMessage(err));
  }
  const str = (k: string) => values[k] as string | undefined;
  const flag = (k: string) => values[k] === true;
  const a = str("logs_dir"), b = str("logs-dir");
  if (a !== undefined && b !== undefined && a !== b) {
    throw new ClusterUsageError(
      `Cannot use both --logs_dir and --logs-dir: current values are ${JSON.stringify(a)} and ${
        JSON.stringify(b)
      }`,
    );
  }
  const logsDir = a ?? b;
  if (logsDir !== undefined && logsDir.trim() === "") {
    throw new ClusterUsageError(`Cannot use --logs-dir: current value is "" (want a directory)`);
  }
  const count = integerFlag("count", str("count") ?? "3", {
    min: 1,
    max: 65535, // one port each; the port range is the limit (checked with --base-port below)
    error: ClusterUsageError,
  });
  const basePort = integerFlag("base-port", str("base-port") ?? "5001", {
    min: 1,
    max: 65535,
    error: ClusterUsageError,
  });
  if (basePort + count - 1 > 65535) {
    throw new ClusterUsageError(
      `Cannot use --base-port: current value is ${basePort} (with --count ${count} the last port ` +
        `would be ${basePort + count - 1} > 65535)`,
    );
  }
  const rateMin = integerFlag("rate-min", str("rate-min") ?? "1", {
    min: 1,
    error: ClusterUsageError,
  });
  const rateMax = integerFlag("rate-max", str("rate-max") ?? "6", {
    min: 1,
    error: ClusterUsageError,
  });
  if (rateMax < rateMin) {
    throw new ClusterUsageError(
      `Cannot use --rate-max: current value is ${rateMax} (below --rate-min ${rateMin})`,
    );
  }
  const delayMin = numberFlag("delay-min", str("delay-min") ?? "1", {
    min: 0,
    error: ClusterUsageError,
  });
  const delayMax = numberFlag("delay-max", str("delay-max") ?? "5", {
    min: 0,
    error: ClusterUsageError,
  });
  if (delayMax < delayMin) {
    throw new ClusterUsageError(
      `Cannot use --delay-max: current value is ${delayMax} (below --delay-min ${delayMin})`,
    );
  }
  const seedText = str("seed");
  const bind = str("bind") ?? "127.0.0.1";
  if (!/^[0-9A-Za-z.:-]+$/.test(bind)) {
    throw new ClusterUsageError(
      `Cannot use --bind: current value is ${JSON.stringify(bind)} (want a host name or IP)`,
    );
  }
  const startAt = str("start-at") === undefined
    ? undefined
    : integerFlag("start-at", str("start-at")!, { min: 0, error: ClusterUsageError });
  if (startAt !== undefined && !flag("simulate")) {
    throw new ClusterUsageError(
      `Cannot use --start-at: current value is ${startAt} (only with --simulate; a real ` +
        `cluster starts as soon as every node is linked)`,
    );
  }
  return {
    count,
    basePort,
    duration: numberFlag("duration", str("duration") ?? "60", {
      min: 0,
      max: MAX_DURATION_S,
      error: ClusterUsageError,
    }),
    logsDir,
    seed: seedText === undefined
      ? (options.randomSeed ?? randomSeed)()
      : integerFlag("seed", seedText, { min: 0, max: 2 ** 32 - 1, error: ClusterUsageError }),
    seedGiven: seedText !== undefined,
    rate: str("rate") === undefined ? undefined : numberFlag("rate", str("rate")!, {
      min: 0,
      max: 1e6,
      exclusive: true,
      error: ClusterUsageError,
    }),
    rateRange: [rateMin, rateMax],
    dieSides: integerFlag("die-sides", str("die-sides") ?? "10", {
      min: 3,
      error: ClusterUsageError,
    }),
    bind,
    simulate: flag("simulate"),
    delayMs: [delayMin, delayMax],
    startAt,
    analyze: flag("analyze"),
    grace: numberFlag("grace", str("grace") ?? "2", {
      min: 0.5,
      max: 3600,
      error: ClusterUsageError,
    }),
    quiet: flag("quiet"),
    help: flag("help"),
  };
}

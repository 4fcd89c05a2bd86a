/**
 * The flags of `run_machine.ts` (a local cluster): the table its parser, its `--help`, the
 * docs and `experiment.ts`'s scenarios use.
 *
 * @module
 */
import type { FlagTable } from "./flag_parse.ts";
import { MAX_TIMER_MS } from "./flag_values.ts";
import {
  ADDED,
  DIE_SIDES,
  DURATION,
  HELP,
  hostCheck,
  MAX_REAL_NODES,
  MAX_SIMULATED_NODES,
  ORIGINAL,
  RATE,
  RATE_MAX,
  RATE_MIN,
  SEED,
} from "./flag_specs.ts";

/** The flags of `run_machine.ts` (a local cluster). */
export const CLUSTER_FLAGS = {
  program: "run_machine.ts",
  flags: [
    {
      name: "logs-dir",
      aliases: ["logs_dir"],
      kind: "string",
      arg: "DIR",
      defaultText: "logs/run_<time>",
      help: "log directory, created if missing (the default is new for every run)",
      scope: "cli",
      group: ORIGINAL,
    },
    {
      ...DURATION,
      help: "seconds every node ticks, counted from the common start; decimals allowed",
    },
    {
      name: "count",
      kind: "integer",
      arg: "N",
      min: 1,
      max: MAX_SIMULATED_NODES,
      range: `an integer 1..${MAX_REAL_NODES}, or 1..${MAX_SIMULATED_NODES} with --simulate`,
      default: 3,
      help: "number of nodes, ids 1..N",
      doc: "number of nodes, ids 1..N; a real cluster is bounded by what this 2-core host could " +
        "start and link (see BENCHMARKS.md)",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "base-port",
      kind: "integer",
      arg: "N",
      min: 1,
      max: 65535,
      default: 5001,
      help: "port of node 1; node i listens on base + i - 1",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "bind",
      kind: "string",
      arg: "ADDR",
      default: "127.0.0.1",
      check: hostCheck,
      help: "address the nodes listen on and link to (with 0.0.0.0 or :: they link over " +
        "127.0.0.1 or ::1)",
      scope: "cli",
      group: ADDED,
    },
    {
      ...SEED,
      help: "run seed, printed at the end; node i's seed is derived from it",
      scope: "shared",
    },
    {
      ...RATE,
      defaultText: "random per node",
      help: "fixed clock rate of every node in ticks/s, decimals allowed",
      scope: "shared",
    },
    RATE_MIN,
    RATE_MAX,
    DIE_SIDES,
    {
      name: "simulate",
      kind: "boolean",
      help: "run the same nodes in virtual time in this process (no sockets, no waiting)",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "delay-min",
      kind: "number",
      arg: "MS",
      min: 0,
      max: MAX_TIMER_MS,
      default: 1,
      help: "simulated message delay, lowest",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "delay-max",
      kind: "number",
      arg: "MS",
      min: 0,
      max: MAX_TIMER_MS,
      default: 5,
      help: "simulated message delay, highest, at least --delay-min",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "start-at",
      kind: "integer",
      arg: "MS",
      min: 0,
      defaultText: "now",
      help: "simulated start instant (ms since the Unix epoch), only with --simulate: the same " +
        "--seed and --start-at give byte-identical logs",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "analyze",
      kind: "boolean",
      help: "run the analyzer on the logs when the run ends",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "grace",
      kind: "number",
      arg: "S",
      min: 0.5,
      max: 3600,
      default: 2,
      help: "how long stopping nodes may take before they are killed",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "cluster",
      kind: "string",
      arg: "PATH",
      help: "start the nodes of this cluster file that are on this host (a loopback address, " +
        "this host's name or one of its addresses); needs --allow-read of the file and " +
        "--allow-sys=networkInterfaces,hostname (see docs/cluster_file.md)",
      scope: "cli",
      group: ADDED,
    },
    { name: "quiet", kind: "boolean", help: "no progress display", scope: "cli", group: ADDED },
    HELP,
  ],
} as const satisfies FlagTable;

/** Names of `run_machine.ts` flags. */
export type ClusterFlag = typeof CLUSTER_FLAGS.flags[number]["name"];

/**
 * What a cluster run (real or simulated) is given: the options `run_machine.ts` parses
 * (`lib/cli/cluster_args.ts`) and `lib/cluster/` consumes.
 *
 * @module
 */

/** Everything a cluster run (real or simulated) needs. */
export interface ClusterOptions {
  /** Number of nodes (ids 1..count). */
  count: number;
  /** Port of node 1; node i listens on `basePort + i - 1`. */
  basePort: number;
  /** Seconds each node ticks, counted from the common start instant. */
  duration: number;
  /** Log directory given by the user; default a fresh `logs/run_<timestamp>`. */
  logsDir?: string;
  /** Run seed; node i's seed is `deriveSeed(seed, i - 1)`. */
  seed: number;
  /** Whether `seed` was given (else it was drawn at random and is printed). */
  seedGiven: boolean;
  /** Fixed clock rate (ticks/s) of every node; default random per node. */
  rate?: number;
  /** Range of the random rate. */
  rateRange: [number, number];
  /** Sides of the action die. */
  dieSides: number;
  /** Address the nodes listen on and link to; default 127.0.0.1. */
  bind: string;
  /** Run in virtual time in this process instead of spawning nodes. */
  simulate: boolean;
  /** Simulated message delay range in ms. */
  delayMs: [number, number];
  /** Virtual start instant of a simulation (ms since the Unix epoch); default now. */
  startAt?: number;
  /** Run `analyze_logs.ts` on the logs at the end. */
  analyze: boolean;
  /** Seconds to wait for nodes after their deadline or a stop before killing them. */
  grace: number;
  /** No progress display. */
  quiet: boolean;
  /** `--help` was given. */
  help: boolean;
  /**
   * The nodes of a cluster file that run on this host (`--cluster`), each with its complete
   * `machine.ts` flags but `--log`, `--secret-file` and `--control`; default: `count` nodes
   * laid out by `basePort` and `bind`.
   */
  fileNodes?: FileNode[];
  /** The run's secret: `undefined` a fresh one per run, `null` none, else this file. */
  secretFile?: string | null;
  /** Hosts the nodes may connect to (a cluster file's hosts); default `bind`'s. */
  netHosts?: string[];
}

/** One node of a cluster file to start (see `ClusterOptions.fileNodes`). */
export interface FileNode {
  /** Machine id. */
  id: number;
  /** Listening port. */
  port: number;
  /** Its `machine.ts` flags (without `--log`, `--secret-file`, `--control`). */
  args: string[];
}

/**
 * `run_machine.ts --cluster FILE`: the nodes of a cluster file that are on this host, each
 * with its `machine.ts` flags from the file, and `run_machine`'s own flags applied on top
 * (`--duration`, `--seed`, `--rate`, … override the file).
 *
 * @module
 */
import { deriveSeed } from "../core/prng.ts";
import type { ClusterOptions } from "../cluster/options.ts";
import type { FlagValues } from "./flag_parse.ts";
import { randomSeed, UsageError } from "./flag_values.ts";
import type { ClusterFlag } from "./cluster_flags.ts";
import { MAX_REAL_NODES } from "./flag_specs.ts";
import type { ClusterFile } from "./cluster_file.ts";
import {
  clusterNodeArgs,
  defaultBind,
  localNodes,
  readClusterFile,
  type ThisHost,
  thisHost,
} from "./cluster_nodes.ts";

/** Where `parseClusterArgs` reads what the command line points at (tests replace them). */
export interface ClusterArgsOptions {
  /** The run seed when `--seed` is not given; default a random one. */
  randomSeed?: () => number;
  /** Reads a `--cluster` file; default `readClusterFile`. */
  readCluster?: (path: string) => ClusterFile;
  /** This host's name and addresses; default `thisHost()` (`null`: only loopback is local). */
  thisHost?: () => ThisHost | null;
}

/** `run_machine.ts` flags that lay out the nodes, which a cluster file does instead. */
const LAYOUT: ClusterFlag[] = [
  "count",
  "base-port",
  "bind",
  "simulate",
  "start-at",
  "delay-min",
  "delay-max",
];
/** `run_machine.ts` flags passed on to the nodes, over the file's values. */
const OVERRIDES: ClusterFlag[] = ["duration", "rate", "rate-min", "rate-max", "die-sides"];

/**
 * The options of a run of the local nodes of `--cluster`, from `base` (the defaults) and the
 * command line's `flags`. Throws a {@linkcode UsageError} for a layout flag given with it, a
 * bad file, no node on this host, or a `start_at` already past.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClusterArgs } from "./cluster_args.ts";
 * import { parseClusterFile } from "./cluster_file.ts";
 * const file = parseClusterFile(`{"duration": 9, "nodes": [
 *   {"id": 1, "host": "127.0.0.1", "port": 5001},
 *   {"id": 2, "host": "192.0.2.20", "port": 5002}]}`, { path: "c.jsonc" });
 * const o = parseClusterArgs(["--cluster", "c.jsonc", "--seed", "3"], {
 *   readCluster: () => file,
 *   thisHost: () => null,
 * });
 * assert.deepEqual(o.fileNodes?.map((n) => n.id), [1]);
 * assert.equal(o.duration, 9);
 * assert.equal(o.secretFile, null); // a node elsewhere: no per-run secret
 * ```
 */
export function withClusterFile(
  base: ClusterOptions,
  flags: FlagValues<ClusterFlag>,
  options: ClusterArgsOptions,
): ClusterOptions {
  for (const name of LAYOUT) {
    if (flags.given(name)) {
      throw new UsageError(
        `Cannot use --${name} with --cluster as the cluster file lays out the nodes: current ` +
          `value is ${JSON.stringify(flags.text(name))} (give one of them)`,
      );
    }
  }
  const path = flags.string("cluster")!;
  const file = (options.readCluster ?? readClusterFile)(path);
  const host = (options.thisHost ?? thisHost)();
  const locals = localNodes(file, host);
  if (locals.length === 0) {
    const here = host === null
      ? "loopback only: this process may not read the host's name and addresses (run with " +
        "--allow-sys=networkInterfaces,hostname)"
      : `${host.hostname}, ${host.addresses.join(", ")}`;
    throw new UsageError(
      `Cannot start the nodes of ${JSON.stringify(path)} on this host as none of them is ` +
        `here: current hosts are ${[...new Set(file.nodes.map((n) => n.host))].join(", ")} ` +
        `(this host: ${here})`,
    );
  }
  if (locals.length > MAX_REAL_NODES) {
    throw new UsageError(
      `Cannot start the nodes of ${JSON.stringify(path)} as at most ${MAX_REAL_NODES} may run ` +
        `on one host: current value is ${locals.length}`,
    );
  }
  const seedGiven = flags.given("seed");
  const seed = seedGiven ? flags.number("seed")! : (options.randomSeed ?? randomSeed)();
  const overrides: string[] = [];
  for (const name of OVERRIDES) {
    if (flags.given(name)) overrides.push(`--${name}`, String(flags.number(name)));
  }
  const fileNodes = locals.map((n, i) => ({
    id: n.id,
    port: n.port,
    args: [
      ...clusterNodeArgs(file, n.id),
      ...(seedGiven || !n.settings.has("seed") ? ["--seed", String(deriveSeed(seed, i))] : []),
      ...overrides,
    ],
  }));
  const startAt = file.shared.get("start-at") as number | undefined;
  if (startAt !== undefined && startAt < Date.now() + 1000) {
    throw new UsageError(
      `Cannot use "start_at" of ${JSON.stringify(path)} as it must be at least 1 s in the ` +
        `future when run_machine starts: current value is ${startAt} (` +
        `${((Date.now() - startAt) / 1000).toFixed(1)} s ago)`,
    );
  }
  const secret = file.shared.get("secret-file") as string | undefined;
  const allHere = locals.length === file.nodes.length;
  const binds = locals.map((n) => (n.settings.get("bind") as string) ?? defaultBind(n.host));
  const fileValue = (name: ClusterFlag) => file.shared.get(name) as number | undefined;
  return {
    ...base,
    count: locals.length,
    seed,
    seedGiven,
    duration: flags.given("duration") ? flags.number("duration")! : fileValue("duration") ?? 60,
    rate: flags.number("rate"),
    rateRange: [
      flags.given("rate-min") ? flags.number("rate-min")! : fileValue("rate-min") ?? 1,
      flags.given("rate-max") ? flags.number("rate-max")! : fileValue("rate-max") ?? 6,
    ],
    dieSides: flags.given("die-sides") ? flags.number("die-sides")! : fileValue("die-sides") ?? 10,
    logsDir: flags.string("logs-dir"),
    analyze: flags.boolean("analyze"),
    grace: flags.number("grace")!,
    quiet: flags.boolean("quiet"),
    ...(startAt === undefined ? {} : { startAt }),
    fileNodes,
    // Nodes elsewhere cannot know a secret made here: the file's, else none.
    secretFile: secret ?? (allHere ? undefined : null),
    netHosts: [...new Set([...file.nodes.map((n) => n.host), ...binds])],
  };
}

/**
 * Flags that several programs share (`--duration`, `--seed`, `--rate`, …), the limits they
 * enforce, and helpers for the tables in `machine_flags.ts`, `cluster_flags.ts` and
 * `experiment_flags.ts` (all listed in `flags.ts`).
 *
 * @module
 */
import { type FlagSpec, MAX_DURATION_S, MAX_TIMER_MS } from "./flag_values.ts";

/**
 * Most nodes of a real cluster on one host: measured on this 2-core, 24 GiB machine (see
 * BENCHMARKS.md, "Cluster"): every node is a Deno process (~60-90 MiB) that boots, links to
 * every other node and authenticates each link before the common start.
 */
export const MAX_REAL_NODES = 128;

/** Most nodes of a simulated cluster (one process, no sockets; see BENCHMARKS.md). */
export const MAX_SIMULATED_NODES = 1000;

/** Highest `--rate`, `--rate-min` and `--rate-max` (ticks/s). */
export const MAX_RATE = 1_000_000;

/** Help group of the original Python project's flags. */
export const ORIGINAL = "Options (original)";
/** Help group of the flags added here. */
export const ADDED = "Options (added)";

/** `"rate-min"` → `"rate_min"`: the key of a flag's setting in a cluster file. */
export function fileKey(spec: FlagSpec): string {
  return spec.name.replaceAll("-", "_");
}

/** A host name or IP address (no port, no spaces). */
export function hostCheck(value: number | string): string | null {
  return /^(\[[0-9A-Fa-f:.]+\]|[0-9A-Za-z.:-]+)$/.test(String(value))
    ? null
    : "a host name or IP address";
}

export const DURATION: FlagSpec = {
  name: "duration",
  kind: "number",
  arg: "S",
  min: 0,
  max: MAX_DURATION_S,
  default: 60,
  help: "seconds of ticking, counted from the start; decimals allowed",
  scope: "shared",
  group: ORIGINAL,
};

export const SEED: FlagSpec = {
  name: "seed",
  kind: "integer",
  arg: "N",
  min: 0,
  max: 2 ** 32 - 1,
  defaultText: "random",
  help: "PRNG seed, logged in STARTUP: the same seed gives the same rate and die rolls",
  scope: "node",
  group: ADDED,
};

export const RATE: FlagSpec = {
  name: "rate",
  kind: "number",
  arg: "R",
  min: 0,
  above: true,
  max: MAX_RATE,
  defaultText: "random (--rate-min..--rate-max)",
  help: "fixed clock rate in ticks/s, decimals allowed",
  scope: "node",
  group: ADDED,
};

export const RATE_MIN: FlagSpec = {
  name: "rate-min",
  kind: "integer",
  arg: "N",
  min: 1,
  max: MAX_RATE,
  default: 1,
  help: "lowest random rate in ticks/s",
  scope: "shared",
  group: ADDED,
};

export const RATE_MAX: FlagSpec = {
  ...RATE_MIN,
  name: "rate-max",
  default: 6,
  help: "highest random rate in ticks/s, at least --rate-min",
};

export const DIE_SIDES: FlagSpec = {
  name: "die-sides",
  kind: "integer",
  arg: "N",
  min: 3,
  default: 10,
  help: "sides of the action die: 1, 2, 3 send, the rest are INTERNAL",
  scope: "shared",
  group: ADDED,
};

export const HELP: FlagSpec = {
  name: "help",
  kind: "boolean",
  short: "h",
  help: "this text",
  scope: "cli",
  group: ADDED,
};

/** A wait or timeout in ms (an integer unless `decimals`). */
export function ms(
  name: string,
  min: number,
  fallback: number,
  help: string,
  options: { decimals?: boolean } = {},
): FlagSpec {
  return {
    name,
    kind: options.decimals ? "number" : "integer",
    arg: "MS",
    min,
    max: MAX_TIMER_MS,
    default: fallback,
    help,
    scope: "shared",
    group: ADDED,
  };
}

/** A count bounding a queue or a number of connections. */
export function limit(name: string, min: number, fallback: number, help: string): FlagSpec {
  return {
    name,
    kind: "integer",
    arg: "N",
    min,
    default: fallback,
    help,
    scope: "shared",
    group: ADDED,
  };
}

/**
 * The flags of `experiment.ts`: the table its parser, its `--help` and `docs/experiment.md`
 * use. Run flags inside `--scenario` and `--sweep` are `run_machine.ts`'s own
 * (`cluster_flags.ts`).
 *
 * @module
 */
import type { FlagTable } from "./flag_parse.ts";
import { MAX_DURATION_S } from "./flag_values.ts";
import { DURATION, HELP, MAX_REAL_NODES, SEED } from "./flag_specs.ts";

/** Most machines per trial of an experiment. */
export const MAX_EXPERIMENT_NODES = 100;

/** Run flags a scenario (or a sweep) may set: `run_machine.ts` flags. */
export const SCENARIO_FLAGS = [
  "count",
  "duration",
  "rate",
  "rate-min",
  "rate-max",
  "die-sides",
  "delay-min",
  "delay-max",
] as const;

const GROUP = "Options";

/** The flags of `experiment.ts`. */
export const EXPERIMENT_FLAGS = {
  program: "experiment.ts",
  once: true,
  flags: [
    {
      name: "trials",
      kind: "integer",
      arg: "N",
      min: 1,
      max: 1000,
      default: 5,
      help: "trials per scenario",
      scope: "cli",
      group: GROUP,
    },
    {
      ...DURATION,
      min: 0,
      above: true,
      max: MAX_DURATION_S,
      help: "seconds each trial runs",
      scope: "cli",
      group: GROUP,
    },
    {
      name: "count",
      kind: "integer",
      arg: "N",
      min: 1,
      max: MAX_EXPERIMENT_NODES,
      default: 3,
      // A real trial is a run_machine.ts cluster: its bound applies when it is the lower one.
      help: MAX_REAL_NODES < MAX_EXPERIMENT_NODES
        ? `machines per trial; with --real at most ${MAX_REAL_NODES} (as run_machine.ts)`
        : "machines per trial, simulated or real",
      scope: "cli",
      group: GROUP,
    },
    {
      ...SEED,
      defaultText: "random (printed)",
      help: "experiment seed: trial k of every scenario uses the same seed derived from it",
      scope: "cli",
      group: GROUP,
    },
    {
      name: "scenario",
      kind: "string",
      arg: "SPEC",
      multiple: true,
      defaultText: "the four above",
      help: `name:flag=value,... (repeatable; replaces the default scenarios), with run flags ` +
        `${SCENARIO_FLAGS.join(", ")} of run_machine.ts, e.g. --scenario ` +
        `"slow:rate-min=1,rate-max=2"`,
      doc: "`name:flag=value,...`, repeatable; run flags " +
        SCENARIO_FLAGS.map((f) => `\`${f}\``).join(", ") +
        " with `run_machine.ts`'s meaning and limits",
      scope: "cli",
      group: GROUP,
    },
    {
      name: "sweep",
      kind: "string",
      arg: "SPEC",
      defaultText: "none",
      help: "flag=a..b[:step]: one scenario per value (of each --scenario, else of the " +
        "baseline), e.g. --sweep count=2..32 or --sweep die-sides=4..20:4",
      doc: "`flag=a..b[:step]` (step 1 by default): one scenario per value, of each " +
        "`--scenario` (else of the baseline)",
      scope: "cli",
      group: GROUP,
    },
    {
      name: "real",
      kind: "boolean",
      help: "run every trial as a real TCP cluster (as run_machine; slow, for a final check): " +
        "use deno task experiment:real",
      doc: "trials as real TCP clusters (`deno task experiment:real`)",
      scope: "cli",
      group: GROUP,
    },
    {
      name: "base-port",
      kind: "integer",
      arg: "N",
      min: 1,
      max: 65535,
      default: 5001,
      help: "with --real: port of node 1 of the first cluster",
      doc: "with `--real`: port of node 1 of the first cluster; the k-th cluster running at " +
        "once (k = 0..jobs − 1) adds k × the largest count",
      scope: "cli",
      group: GROUP,
    },
    {
      name: "out",
      kind: "string",
      arg: "DIR",
      defaultText: "logs/experiment_<time>",
      help: "output directory, new or empty",
      doc: "output directory, new or empty (a non-empty one is refused: experiments never mix)",
      scope: "cli",
      group: GROUP,
    },
    {
      name: "jobs",
      kind: "integer",
      arg: "N",
      min: 1,
      max: 64,
      defaultText: "the cores, at most 4",
      help: "trials at once, in parallel workers (or real clusters at once); results do not " +
        "depend on it",
      scope: "cli",
      group: GROUP,
    },
    { name: "quiet", kind: "boolean", help: "no progress display", scope: "cli", group: GROUP },
    { ...HELP, group: GROUP },
  ],
} as const satisfies FlagTable;

/** Names of `experiment.ts` flags. */
export type ExperimentFlag = typeof EXPERIMENT_FLAGS.flags[number]["name"];

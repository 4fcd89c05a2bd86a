/**
 * Every flag of `machine.ts`, `run_machine.ts` and `experiment.ts`, once: name, value kind,
 * range, default, help text and where the setting lives in a cluster file
 * ({@linkcode FlagSpec}). The parsers (`machine_args.ts`, `cluster_args.ts`,
 * `experiment_args.ts`, and `experiment.ts`'s scenarios through `cluster_args.ts`), the
 * `--help` texts (`flag_help.ts`) and the docs' flag tables (kept in sync by
 * `tests/flag_table_test.ts`) all come from these tables, so a range reads the same
 * everywhere.
 *
 * A cluster file's keys are `machine.ts` flag names with `_` for `-` ({@linkcode fileKey});
 * `scope` says whether a key belongs to each node or to the whole file. Check a value read
 * from a file with `flagValue(spec, value, { label })`: the same range and message as on the
 * command line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileKey, flagValue, MACHINE_FLAGS } from "./flags.ts";
 * const dieSides = MACHINE_FLAGS.flags.find((f) => f.name === "die-sides")!;
 * assert.equal(fileKey(dieSides), "die_sides");
 * assert.equal(dieSides.scope, "shared");
 * assert.throws(() => flagValue(dieSides, 2, { label: '"die_sides" (cluster.jsonc:3:16)' }), {
 *   message: 'Cannot use "die_sides" (cluster.jsonc:3:16) as it must be an integer >= 3: current value is 2',
 * });
 * ```
 *
 * @module
 */
import type { FlagTable } from "./flag_parse.ts";
import { CLUSTER_FLAGS } from "./cluster_flags.ts";
import { EXPERIMENT_FLAGS } from "./experiment_flags.ts";
import { MACHINE_FLAGS } from "./machine_flags.ts";
import { ANALYZE_FLAGS } from "./analyze_flags.ts";

export { CLUSTER_FLAGS, type ClusterFlag } from "./cluster_flags.ts";
export {
  EXPERIMENT_FLAGS,
  type ExperimentFlag,
  MAX_EXPERIMENT_NODES,
  SCENARIO_FLAGS,
} from "./experiment_flags.ts";
export { MACHINE_FLAGS, type MachineFlag } from "./machine_flags.ts";
export { ANALYZE_FLAGS } from "./analyze_flags.ts";
export { fileKey, MAX_RATE, MAX_REAL_NODES, MAX_SIMULATED_NODES } from "./flag_specs.ts";
export {
  describeDefault,
  describeRange,
  type FlagKind,
  type FlagScope,
  type FlagSpec,
  flagValue,
  MAX_DURATION_S,
  MAX_TIMER_MS,
  UsageError,
} from "./flag_values.ts";
export { type FlagTable, FlagValues, orderedPair, parseFlags } from "./flag_parse.ts";
export { flagsMarkdown, formatHelp } from "./flag_help.ts";

/** Every program's flag table, by program name. */
export const FLAG_TABLES: Record<string, FlagTable> = {
  "machine.ts": MACHINE_FLAGS,
  "run_machine.ts": CLUSTER_FLAGS,
  "experiment.ts": EXPERIMENT_FLAGS,
  "analyze_logs.ts": ANALYZE_FLAGS,
};

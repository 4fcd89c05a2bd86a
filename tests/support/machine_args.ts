import assert from "node:assert/strict";
import { type MachineRunArgs, parseMachineArgs } from "../../lib/cli/machine_args.ts";

/** `parseMachineArgs` for a command line that runs a node (not `--help`). */
export function parseRunArgs(
  args: string[],
  options: { randomSeed?: () => number } = {},
): MachineRunArgs {
  const parsed = parseMachineArgs(args, options);
  assert.ok(!parsed.help, "want a node, not the help");
  return parsed;
}

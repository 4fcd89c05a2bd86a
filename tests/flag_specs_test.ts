/**
 * The flag tables module by module: each program's table names its program, its flags once
 * each with help text; the shared specs and helpers; and `--cluster` applied on top of the
 * run defaults (`withClusterFile`).
 */
import assert from "node:assert/strict";
import { CLUSTER_FLAGS } from "../lib/cli/cluster_flags.ts";
import {
  EXPERIMENT_FLAGS,
  MAX_EXPERIMENT_NODES,
  SCENARIO_FLAGS,
} from "../lib/cli/experiment_flags.ts";
import { MACHINE_FLAGS } from "../lib/cli/machine_flags.ts";
import {
  DURATION,
  fileKey,
  hostCheck,
  MAX_REAL_NODES,
  MAX_SIMULATED_NODES,
} from "../lib/cli/flag_specs.ts";
import { withClusterFile } from "../lib/cli/cluster_file_run.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { parseClusterFile } from "../lib/cli/cluster_file.ts";
import { parseFlags } from "../lib/cli/flag_parse.ts";
import { UsageError } from "../lib/cli/flag_values.ts";

Deno.test("each flag table names its program and lists its flags once, each with help text", () => {
  for (
    const [table, program] of [
      [MACHINE_FLAGS, "machine.ts"],
      [CLUSTER_FLAGS, "run_machine.ts"],
      [EXPERIMENT_FLAGS, "experiment.ts"],
    ] as const
  ) {
    assert.equal(table.program, program);
    const names = table.flags.map((f) => f.name);
    assert.equal(new Set(names).size, names.length, `${program}: a flag listed twice`);
    for (const f of table.flags) assert.ok(f.help.trim() !== "", `${program} --${f.name}: no help`);
  }
  assert.ok(MACHINE_FLAGS.flags.some((f) => f.name === "duration"));
  assert.ok(SCENARIO_FLAGS.length > 0);
  assert.ok(MAX_EXPERIMENT_NODES <= MAX_SIMULATED_NODES);
});

Deno.test("the shared flag specs: file keys, host check, node limits", () => {
  assert.equal(fileKey(DURATION), "duration");
  assert.equal(fileKey({ ...DURATION, name: "rate-min" }), "rate_min");
  assert.equal(hostCheck("127.0.0.1"), null);
  assert.equal(hostCheck("[::1]"), null);
  assert.equal(hostCheck("two words"), "a host name or IP address");
  assert.ok(MAX_REAL_NODES < MAX_SIMULATED_NODES);
});

Deno.test("withClusterFile() takes the nodes on this host from the file, the run's flags on top", () => {
  const file = parseClusterFile(
    `{"duration": 9, "nodes": [
      {"id": 1, "host": "127.0.0.1", "port": 5001},
      {"id": 2, "host": "192.0.2.20", "port": 5002}]}`,
    { path: "c.jsonc" },
  );
  const base = parseClusterArgs([], { randomSeed: () => 1 });
  const options = { readCluster: () => file, thisHost: () => null, randomSeed: () => 1 };
  const run = withClusterFile(
    base,
    parseFlags(CLUSTER_FLAGS, ["--cluster", "c.jsonc", "--duration", "4"]),
    options,
  );
  assert.deepEqual(run.fileNodes?.map((n) => n.id), [1]);
  assert.equal(run.duration, 4); // the command line over the file's 9
  assert.throws(
    () =>
      withClusterFile(
        base,
        parseFlags(CLUSTER_FLAGS, ["--cluster", "c.jsonc", "--count", "2"]),
        options,
      ),
    (err) => err instanceof UsageError && /^Cannot use --count with --cluster/.test(err.message),
  );
});

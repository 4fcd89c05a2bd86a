/**
 * One source of truth for every flag: the docs' flag tables, the `--help` texts and the
 * parsers all agree with the tables in `lib/cli/` (ranges, defaults, names).
 */
import assert from "node:assert/strict";
import { flagsMarkdown, unpadTables, updateFlagTables } from "../lib/cli/flag_help.ts";
import {
  CLUSTER_FLAGS,
  describeRange,
  EXPERIMENT_FLAGS,
  FLAG_TABLES,
  type FlagSpec,
  flagValue,
  MACHINE_FLAGS,
  UsageError,
} from "../lib/cli/flags.ts";
import { MACHINE_USAGE, parseMachineArgs } from "../lib/cli/machine_args.ts";
import { CLUSTER_USAGE, parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { EXPERIMENT_USAGE, parseExperimentArgs } from "../lib/cli/experiment_args.ts";

const ROOT = new URL("../", import.meta.url);

function docFiles(): string[] {
  const docs = [...Deno.readDirSync(new URL("docs/", ROOT))]
    .filter((e) => e.isFile && e.name.endsWith(".md")).map((e) => `docs/${e.name}`);
  return ["README.md", ...docs];
}

Deno.test("the docs' flag tables are the flag tables of lib/cli (run deno task flags:docs)", () => {
  const found = new Map<string, string[]>();
  for (const file of docFiles()) {
    const text = Deno.readTextFileSync(new URL(file, ROOT));
    for (const m of text.matchAll(/^<!-- flags: (\S+) -->$/gm)) {
      found.set(m[1], [...(found.get(m[1]) ?? []), file]);
    }
    assert.equal(
      unpadTables(text),
      unpadTables(updateFlagTables(text, FLAG_TABLES)),
      `${file}: a flag table differs from lib/cli's; run deno task flags:docs`,
    );
  }
  for (const program of Object.keys(FLAG_TABLES)) {
    assert.equal(
      found.get(program)?.length,
      1,
      `one docs table for ${program}: ${found.get(program)}`,
    );
  }
});

Deno.test("every --help lists every flag with its range and default", () => {
  const helps: [string, string][] = [
    [MACHINE_USAGE, "machine.ts"],
    [CLUSTER_USAGE, "run_machine.ts"],
    [EXPERIMENT_USAGE, "experiment.ts"],
  ];
  for (const [help, program] of helps) {
    const flat = help.replace(/\s+/g, " ");
    for (const spec of FLAG_TABLES[program].flags) {
      assert.ok(flat.includes(`--${spec.name}`), `${program} --help names --${spec.name}`);
      const range = describeRange(spec);
      if (range !== "") assert.ok(flat.includes(range), `${program} --${spec.name}: ${range}`);
    }
    assert.ok(help.split("\n").every((l) => l.length <= 96), `${program} --help fits 96 columns`);
  }
  assert.ok(flagsMarkdown(MACHINE_FLAGS).includes("| `--id N` | (required) |"));
});

Deno.test("every default is inside its own range, and every range is non-empty", () => {
  for (const table of Object.values(FLAG_TABLES)) {
    for (const spec of table.flags) {
      if (spec.min !== undefined && spec.max !== undefined) {
        assert.ok(spec.min < spec.max, `${table.program} --${spec.name}`);
      }
      if (spec.default !== undefined) {
        assert.equal(
          flagValue(spec, spec.default),
          spec.default,
          `${table.program} --${spec.name}`,
        );
      }
    }
  }
});

/** A command line of `program` that is valid without `spec`, and the value to try. */
const BASE: Record<string, string[]> = {
  "machine.ts": ["--id", "1", "--port", "0"],
  "run_machine.ts": ["--simulate"],
  "experiment.ts": [],
};

function parse(program: string, args: string[]): unknown {
  if (program === "machine.ts") return parseMachineArgs(args);
  if (program === "run_machine.ts") return parseClusterArgs(args);
  return parseExperimentArgs(args);
}

/** Values just inside and just outside a numeric flag's range. */
function edges(spec: FlagSpec): { inside: number[]; outside: number[] } {
  const lo = spec.min ?? 0;
  const step = spec.kind === "integer" ? 1 : 0.5;
  const inside = [spec.above ? lo + step : lo];
  const outside = [spec.above ? lo : lo - step];
  if (spec.zero !== undefined) inside.push(0);
  if (spec.max !== undefined) (inside.push(spec.max), outside.push(spec.max + step));
  return { inside, outside: outside.filter((v) => !(spec.zero !== undefined && v === 0)) };
}

Deno.test("the parsers enforce exactly the ranges the tables state, with the same words", () => {
  const skip = new Set(["start-at", "count"]); // a bound that moves with the clock; below
  const partner: Record<string, string[]> = {
    "run_machine.ts rate-min": ["--rate-max=1000000"],
    "machine.ts rate-min": ["--rate-max=1000000"],
    "run_machine.ts delay-min": ["--delay-max=2147483647"],
    "run_machine.ts delay-max": ["--delay-min=0"],
    "run_machine.ts base-port": ["--count=1"],
    "experiment.ts base-port": ["--real", "--count=1", "--jobs=1"],
  };
  for (const [program, table] of Object.entries(FLAG_TABLES)) {
    for (const spec of table.flags) {
      if (spec.kind !== "integer" && spec.kind !== "number") continue;
      if (skip.has(spec.name) || spec.required) continue;
      const { inside, outside } = edges(spec);
      const base = [...BASE[program], ...(partner[`${program} ${spec.name}`] ?? [])];
      for (const v of inside) parse(program, [...base, `--${spec.name}=${v}`]);
      for (const v of outside) {
        assert.throws(
          () => parse(program, [...base, `--${spec.name}=${v}`]),
          (e: unknown) =>
            e instanceof UsageError &&
            e.message === `Cannot use --${spec.name} as it must be ${describeRange(spec)}: ` +
                `current value is ${v}`,
          `${program} --${spec.name}=${v}`,
        );
      }
    }
  }
});

Deno.test("--count: one range, 1..128 for a real cluster and 1..1000 simulated, in every text", () => {
  const count = CLUSTER_FLAGS.flags.find((f) => f.name === "count")!;
  const range = "an integer 1..128, or 1..1000 with --simulate";
  assert.equal(describeRange(count), range);
  assert.equal(parseClusterArgs(["--count", "128"]).count, 128);
  assert.equal(parseClusterArgs(["--count", "1000", "--simulate", "--base-port", "1"]).count, 1000);
  for (const args of [["--count", "129"], ["--count", "1001", "--simulate"], ["--count", "0"]]) {
    assert.throws(
      () => parseClusterArgs(args),
      { message: `Cannot use --count as it must be ${range}: current value is ${args[1]}` },
    );
  }
  assert.ok(CLUSTER_USAGE.replace(/\s+/g, " ").includes(range));
  const experimentCount = EXPERIMENT_FLAGS.flags.find((f) => f.name === "count")!;
  assert.equal(describeRange(experimentCount), "an integer 1..100");
});

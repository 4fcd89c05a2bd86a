/**
 * The keys of a cluster file: which exist (a flag of `machine.ts` with `_` for `-`, or a
 * node's `id`, `host`, `port`, `legacy`), where each belongs, and the closest one to a
 * misspelt key.
 *
 * @module
 */
import type { Node } from "jsonc-parser";
import { closestFlag, type FlagTable } from "./flag_parse.ts";
import { fileKey } from "./flag_specs.ts";
import type { FlagSpec } from "./flag_values.ts";
import { MACHINE_FLAGS } from "./machine_flags.ts";

/** Reports a problem at a place of the file (a node or an offset); never returns. */
export type Fail = (node: Node | number, what: string) => never;

/** Keys of a node entry that are not flags. */
export const NODE_KEYS = ["id", "host", "port", "legacy"];

/** The `machine.ts` flags by cluster-file key (`die_sides`). */
export const byKey: Map<string, FlagSpec> = new Map(
  MACHINE_FLAGS.flags.map((f) => [fileKey(f), f]),
);

/** Flag keys a cluster file accepts at the top level (`nodeKeys`: in a node). */
const KEYS = {
  program: "a cluster file",
  flags: [
    ...NODE_KEYS.map((name) => ({ name, kind: "string", help: "", scope: "node" }) as const),
    { name: "nodes", kind: "string", help: "", scope: "shared" } as const,
    ...MACHINE_FLAGS.flags.filter((f) => f.scope !== "cli"),
  ],
} satisfies FlagTable;

/**
 * The flag of `key`, or a {@linkcode Fail} naming the problem: a command-line-only flag, a
 * node key at the top level, or an unknown key (with the closest known one).
 */
export function knownKey(
  key: string,
  keyNode: Node,
  fail: Fail,
  o: { nodeKeys: boolean },
): FlagSpec {
  const spec = byKey.get(key);
  if (spec !== undefined && key === fileKey(spec) && spec.scope !== "cli") return spec;
  if (spec !== undefined && spec.scope === "cli") {
    return fail(
      keyNode,
      `Cannot use key "${key}" in a cluster file: it is a command-line flag only (--${spec.name})`,
    );
  }
  if (!o.nodeKeys && NODE_KEYS.includes(key)) {
    return fail(
      keyNode,
      `Cannot use "${key}" at the top level: it is set per node (put it in each node)`,
    );
  }
  const near = closestFlag(KEYS, key);
  return fail(
    keyNode,
    `Cannot use key "${key}": it is not a setting of a cluster file` +
      (near === null
        ? " (see docs/cluster_file.md)"
        : ` (did you mean "${near.replaceAll("-", "_")}"?)`),
  );
}

/**
 * A host for comparison: no brackets, lower case, `localhost` as 127.0.0.1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostKey } from "./cluster_file_keys.ts";
 * assert.equal(hostKey("[::1]"), "::1");
 * assert.equal(hostKey("LocalHost"), "127.0.0.1");
 * ```
 */
export function hostKey(host: string): string {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" ? "127.0.0.1" : h;
}

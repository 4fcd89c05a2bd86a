/**
 * The cluster file (JSONC: comments and trailing commas allowed, read with `jsonc-parser`):
 * every node of a cluster in one place, so each host runs `machine.ts --cluster FILE --id N`
 * (or `run_machine.ts --cluster FILE`) instead of typing every peer's address.
 *
 * ```jsonc
 * { "duration": 60, "nodes": [{ "id": 1, "host": "192.0.2.10", "port": 5001 }, …] }
 * ```
 *
 * Top-level keys are the `shared` flags of `machine.ts` with `_` for `-` (`die_sides`,
 * `secret_file`, …); each node has `id`, `host`, `port`, optional `legacy` and the `node`
 * flags (`rate`, `seed`, `log`, `bind`). Values are checked by `flagValue` against the same
 * table as the command line; every problem is one {@linkcode UsageError}
 * `file:line:column: what`. Relative paths (`secret_file`, `log`) are relative to the file.
 * See docs/cluster_file.md.
 *
 * @module
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { dirname, isAbsolute, join } from "node:path";
import { type FlagSpec, flagValue, UsageError } from "./flag_values.ts";
import { byKey, type Fail, hostKey, knownKey, NODE_KEYS } from "./cluster_file_keys.ts";

export { hostKey };

/** A setting's value as read from the file (already checked). */
export type FileValue = number | string | boolean;

/** One node of a cluster file. */
export interface ClusterNode {
  /** Machine id. */
  id: number;
  /** Host name or address the other nodes connect to. */
  host: string;
  /** Port it listens on. */
  port: number;
  /** An original (Python) node: never started by us; spoken to in the bare-integer protocol. */
  legacy: boolean;
  /** Its per-node flag values by flag name (`rate`, `seed`, `log`, `bind`). */
  settings: Map<string, FileValue>;
  /** Where the node's entry starts (`file:line:column`), for messages. */
  at: string;
}

/** A checked cluster file. */
export interface ClusterFile {
  /** The file as given. */
  path: string;
  /** Shared flag values by flag name (`duration`, `die-sides`, …). */
  shared: Map<string, FileValue>;
  /** The nodes, in file order. */
  nodes: ClusterNode[];
}

/** Settings whose relative paths are relative to the file. */
const PATHS = new Set(["secret-file", "log"]);

/**
 * Parses and checks the text of a cluster file named `path` (used in messages and to resolve
 * relative paths); throws a {@linkcode UsageError} `path:line:column: what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClusterFile } from "./cluster_file.ts";
 * const file = parseClusterFile(`{
 *   // three nodes on one host
 *   "duration": 5, "secret_file": "secret.key",
 *   "nodes": [
 *     {"id": 1, "host": "127.0.0.1", "port": 5001, "rate": 2},
 *     {"id": 2, "host": "127.0.0.1", "port": 5002},
 *   ],
 * }`, { path: "conf/cluster.jsonc" });
 * assert.equal(file.shared.get("duration"), 5);
 * assert.equal(file.shared.get("secret-file"), "conf/secret.key");
 * assert.equal(file.nodes[0].settings.get("rate"), 2);
 * assert.throws(() => parseClusterFile('{"durration": 5, "nodes": []}', { path: "c.jsonc" }), {
 *   message: 'c.jsonc:1:2: Cannot use key "durration": it is not a setting of a cluster file (did you mean "duration"?)',
 * });
 * ```
 */
export function parseClusterFile(text: string, options: { path: string }): ClusterFile {
  const path = options.path;
  const where = (offset: number) => `${path}:${lineColumn(text, offset)}`;
  const fail = (node: Node | number, what: string): never => {
    throw new UsageError(`${where(typeof node === "number" ? node : node.offset)}: ${what}`);
  };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const e = errors[0];
    fail(
      e.offset,
      `Cannot parse the cluster file: ${describeParseError(printParseErrorCode(e.error))}`,
    );
  }
  if (root === undefined || root.type !== "object") {
    return fail(
      root ?? 0,
      'Cannot read the cluster file as it must be an object: {"nodes": [...]}',
    );
  }
  const shared = new Map<string, FileValue>();
  let nodesNode: Node | null = null;
  for (const [key, value, keyNode] of properties(root, fail)) {
    if (key === "nodes") {
      nodesNode = value;
      continue;
    }
    const spec = knownKey(key, keyNode, fail, { nodeKeys: false });
    if (spec.scope !== "shared") {
      fail(
        keyNode,
        `Cannot use "${key}" at the top level: it is set per node (put it in each node)`,
      );
    }
    shared.set(spec.name, settingValue(spec, value, { label: `"${key}"`, path, fail }));
  }
  if (nodesNode === null) {
    fail(
      root,
      'Cannot read the cluster file as "nodes" is missing: want "nodes": [{"id": 1, "host": …, "port": …}, …]',
    );
  }
  if (nodesNode!.type !== "array" || (nodesNode!.children ?? []).length === 0) {
    fail(nodesNode!, 'Cannot use "nodes" as it must be a non-empty array of nodes');
  }
  const nodes = nodesNode!.children!.map((n) => readNode(n, { path, fail, where }));
  checkUnique(nodes, fail, nodesNode!.children!);
  checkShared(shared, nodes, fail, root);
  return { path, shared, nodes };
}

function readNode(n: Node, o: { path: string; fail: Fail; where: (o: number) => string }) {
  const { fail } = o;
  if (n.type !== "object") {
    fail(
      n,
      'Cannot use a node of "nodes" as it must be an object: {"id": 1, "host": …, "port": …}',
    );
  }
  const raw = new Map<string, [Node, Node]>();
  for (const [key, value, keyNode] of properties(n, fail)) raw.set(key, [value, keyNode]);
  const get = (key: string, spec: FlagSpec, label: string) => {
    const entry = raw.get(key);
    if (entry === undefined) fail(n, `Cannot read a node of "nodes" as "${key}" is missing`);
    return settingValue(spec, entry![0], { label, path: o.path, fail });
  };
  const id = get("id", byKey.get("id")!, '"id"') as number;
  const label = (key: string) => `"${key}" of node ${id}`;
  const host = get("host", HOST, label("host")) as string;
  const port = get("port", PORT, label("port")) as number;
  const legacyEntry = raw.get("legacy");
  const legacy = legacyEntry === undefined ? false : settingValue(LEGACY, legacyEntry[0], {
    label: label("legacy"),
    path: o.path,
    fail,
  }) as boolean;
  const settings = new Map<string, FileValue>();
  for (const [key, [value, keyNode]] of raw) {
    if (NODE_KEYS.includes(key)) continue;
    const spec = knownKey(key, keyNode, fail, { nodeKeys: true });
    if (spec.scope !== "node") {
      fail(
        keyNode,
        `Cannot use "${key}" in node ${id}: it is shared by every node (put it at the top level)`,
      );
    }
    if (legacy) {
      fail(
        keyNode,
        `Cannot use "${key}" in node ${id} as it is a legacy (original Python) node: it is started with its own command line`,
      );
    }
    settings.set(spec.name, settingValue(spec, value, { label: label(key), path: o.path, fail }));
  }
  return { id, host, port, legacy, settings, at: o.where(n.offset) };
}

const HOST: FlagSpec = { ...byKey.get("bind")!, name: "host", default: undefined };
const PORT: FlagSpec = { ...byKey.get("port")!, zero: undefined };
const LEGACY: FlagSpec = { name: "legacy", kind: "boolean", help: "", scope: "node" };

function checkUnique(nodes: ClusterNode[], fail: Fail, entries: Node[]): void {
  const ids = new Map<number, number>();
  const addresses = new Map<string, number>();
  nodes.forEach((n, i) => {
    const before = ids.get(n.id);
    if (before !== undefined) {
      fail(
        entries[i],
        `Cannot use "id" ${n.id} twice: current value is given by nodes ${before + 1} and ${
          i + 1
        } of "nodes" (want each id once)`,
      );
    }
    ids.set(n.id, i);
    const address = `${hostKey(n.host)}:${n.port}`;
    const other = addresses.get(address);
    if (other !== undefined) {
      fail(
        entries[i],
        `Cannot use ${n.host}:${n.port} for node ${n.id}: current value is also node ${
          nodes[other].id
        }'s address (want one port per node on a host)`,
      );
    }
    addresses.set(address, i);
  });
}

function checkShared(shared: Map<string, FileValue>, nodes: ClusterNode[], fail: Fail, root: Node) {
  const lo = shared.get("rate-min") as number | undefined,
    hi = shared.get("rate-max") as number | undefined;
  if ((lo ?? 1) > (hi ?? 6)) {
    fail(
      root,
      `Cannot use "rate_max" as it must be >= "rate_min" (${lo ?? 1}): current value is ${hi ?? 6}`,
    );
  }
  const legacy = nodes.find((n) => n.legacy);
  if (legacy && shared.has("secret-file") && !shared.get("allow-legacy")) {
    fail(
      root,
      `Cannot use legacy node ${legacy.id} with "secret_file" as it cannot authenticate: current value of "allow_legacy" is false (set "allow_legacy": true to accept what that gives up; see docs/mixed_clusters.md)`,
    );
  }
  if (nodes.every((n) => n.legacy)) {
    fail(root, 'Cannot use "nodes" as it must list at least one node that is not legacy');
  }
}

/** A setting's value, checked; paths made relative to the file. */
function settingValue(
  spec: FlagSpec,
  node: Node,
  o: { label: string; path: string; fail: Fail },
): FileValue {
  const value = node.value as unknown;
  if (!["number", "string", "boolean"].includes(typeof value)) {
    o.fail(
      node,
      `Cannot use ${o.label} as it must be a ${
        spec.kind === "boolean" ? "boolean" : spec.kind === "string" ? "string" : "number"
      }: current value is ${node.type}`,
    );
  }
  let checked: FileValue;
  try {
    checked = flagValue(spec, value as FileValue, { label: o.label });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return o.fail(node, err.message);
  }
  if (
    PATHS.has(spec.name) && typeof checked === "string" && checked !== "-" && !isAbsolute(checked)
  ) {
    return join(dirname(o.path), checked);
  }
  return checked;
}

function* properties(object: Node, fail: Fail): Generator<[string, Node, Node]> {
  const seen = new Set<string>();
  for (const p of object.children ?? []) {
    const [keyNode, value] = p.children!;
    const key = String(keyNode.value);
    if (seen.has(key)) fail(keyNode, `Cannot use key "${key}" twice in one object (want it once)`);
    seen.add(key);
    if (value === undefined) fail(keyNode, `Cannot read "${key}": its value is missing`);
    yield [key, value, keyNode];
  }
}

/** `line:column` (both from 1) of `offset` in `text`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `${line}:${offset - before.lastIndexOf("\n")}`;
}

function describeParseError(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${words} (want JSON with comments, e.g. {"nodes": [{"id": 1, "host": "127.0.0.1", "port": 5001}]})`;
}

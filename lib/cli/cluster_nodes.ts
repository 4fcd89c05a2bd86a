/**
 * From a cluster file to nodes: reading the file, the `machine.ts` flags of one node (every
 * other node becomes a peer), which nodes are on this host, and a node id from a StatefulSet
 * pod's host name (`machine-2` → 3).
 *
 * @module
 */
import { errorMessage } from "../core/errors.ts";
import { formatPeerEntry, isLoopback } from "../core/peers.ts";
import { type ClusterFile, type ClusterNode, hostKey, parseClusterFile } from "./cluster_file.ts";
import { fileKey } from "./flag_specs.ts";
import { UsageError } from "./flag_values.ts";
import { MACHINE_FLAGS } from "./machine_flags.ts";

/**
 * Reads and checks the cluster file at `path`; throws a {@linkcode UsageError} (no
 * permission, not found, or what `parseClusterFile` finds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readClusterFile } from "./cluster_nodes.ts";
 * assert.throws(() => readClusterFile("/nonexistent/cluster.jsonc"), /file not found|permission/);
 * ```
 */
export function readClusterFile(path: string): ClusterFile {
  const q = JSON.stringify(path);
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
    throw new UsageError(
      `Cannot read cluster file ${q}: current permission is none (run with --allow-read=${path})`,
    );
  }
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound
      ? "file not found"
      : err instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : errorMessage(err);
    throw new UsageError(`Cannot read cluster file ${q}: ${why}`, { cause: err });
  }
  return parseClusterFile(text, { path });
}

/**
 * The node of `file` with id `id`; throws a {@linkcode UsageError} naming the ids there are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClusterFile } from "./cluster_file.ts";
 * import { clusterNode } from "./cluster_nodes.ts";
 * const file = parseClusterFile('{"nodes": [{"id": 1, "host": "127.0.0.1", "port": 5001}]}', { path: "c.jsonc" });
 * assert.equal(clusterNode(file, 1).port, 5001);
 * assert.throws(() => clusterNode(file, 4), {
 *   message: 'Cannot use --id 4 as it must be the id of a node of "c.jsonc" (1): current value is 4',
 * });
 * ```
 */
export function clusterNode(file: ClusterFile, id: number): ClusterNode {
  const node = file.nodes.find((n) => n.id === id);
  if (node === undefined) {
    throw new UsageError(
      `Cannot use --id ${id} as it must be the id of a node of ${JSON.stringify(file.path)} (${
        file.nodes.map((n) => n.id).join(", ")
      }): current value is ${id}`,
    );
  }
  if (node.legacy) {
    throw new UsageError(
      `Cannot use --id ${id} as node ${id} of ${JSON.stringify(file.path)} is a legacy ` +
        `(original Python) node: current value is ${id} (start it with the original machine.py)`,
    );
  }
  return node;
}

/**
 * The `machine.ts` flags that run node `id` of `file`: its port, bind address, every other
 * node as a peer (`legacy:` and ids included), the shared settings and its own. Put them
 * before the command line's flags, which then override them (the last value counts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClusterFile } from "./cluster_file.ts";
 * import { clusterNodeArgs } from "./cluster_nodes.ts";
 * const file = parseClusterFile(`{"duration": 5, "nodes": [
 *   {"id": 1, "host": "127.0.0.1", "port": 5001, "seed": 4},
 *   {"id": 2, "host": "127.0.0.1", "port": 5002},
 *   {"id": 3, "host": "127.0.0.1", "port": 5003, "legacy": true}]}`, { path: "c.jsonc" });
 * assert.deepEqual(clusterNodeArgs(file, 1), [
 *   "--id", "1", "--port", "5001", "--bind", "127.0.0.1",
 *   "--peers", "2@127.0.0.1:5002,legacy:3@127.0.0.1:5003", "--duration", "5", "--seed", "4",
 * ]);
 * ```
 */
export function clusterNodeArgs(file: ClusterFile, id: number): string[] {
  const node = clusterNode(file, id);
  const peers = file.nodes.filter((n) => n !== node).map((n) =>
    formatPeerEntry({ host: n.host, port: n.port, id: n.id, ...(n.legacy ? { legacy: true } : {}) })
  );
  const args = ["--id", String(id), "--port", String(node.port)];
  if (!node.settings.has("bind")) args.push("--bind", defaultBind(node.host));
  args.push("--peers", peers.join(","));
  for (const settings of [file.shared, node.settings]) {
    for (const [name, value] of settings) {
      if (value === false) continue;
      args.push(`--${name}`, ...(value === true ? [] : [String(value)]));
    }
  }
  return args;
}

/**
 * Where a node of a cluster file listens when its entry has no `bind`: its `host` when that
 * is a loopback address (127.0.0.1 for `localhost`), else every interface (`0.0.0.0`, or
 * `::` for an IPv6 host), since the other nodes reach it from elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultBind } from "./cluster_nodes.ts";
 * assert.equal(defaultBind("localhost"), "127.0.0.1");
 * assert.equal(defaultBind("machine-0.machine"), "0.0.0.0");
 * assert.equal(defaultBind("2001:db8::1"), "::");
 * ```
 */
export function defaultBind(host: string): string {
  if (isLoopback(host)) return hostKey(host);
  return host.includes(":") ? "::" : "0.0.0.0";
}

/** What "this host" is: its names and addresses. */
export interface ThisHost {
  /** Host name (`Deno.hostname()`). */
  hostname: string;
  /** Addresses of its network interfaces. */
  addresses: string[];
}

/**
 * This host's name and interface addresses; `null` when this process may not read them (then
 * only loopback nodes count as local).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { thisHost } from "./cluster_nodes.ts";
 * // e.g. { hostname: "lab-1", addresses: ["127.0.0.1", "192.0.2.10", "::1"] }; null without
 * // --allow-sys=hostname,networkInterfaces
 * const host = thisHost();
 * if (host !== null) assert.ok(host.addresses.includes("127.0.0.1"));
 * ```
 */
export function thisHost(): ThisHost | null {
  const sys = (kind: "hostname" | "networkInterfaces") =>
    Deno.permissions.querySync({ name: "sys", kind }).state === "granted";
  if (!sys("hostname") || !sys("networkInterfaces")) return null;
  return {
    hostname: Deno.hostname(),
    addresses: Deno.networkInterfaces().map((i) => i.address),
  };
}

/**
 * The nodes of `file` that run on this host (never the legacy ones: those are original
 * Python nodes, started on their own): a node whose `host` is a loopback address, one of
 * `host.addresses`, or `host.hostname` (or its first label: `lab-1` matches
 * `lab-1.example.org` and back). Names are not looked up in DNS.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClusterFile } from "./cluster_file.ts";
 * import { localNodes } from "./cluster_nodes.ts";
 * const file = parseClusterFile(`{"nodes": [
 *   {"id": 1, "host": "lab-1.example.org", "port": 5001},
 *   {"id": 2, "host": "192.0.2.11", "port": 5001},
 *   {"id": 3, "host": "localhost", "port": 5003}]}`, { path: "c.jsonc" });
 * const ids = localNodes(file, { hostname: "lab-1", addresses: ["127.0.0.1"] }).map((n) => n.id);
 * assert.deepEqual(ids, [1, 3]);
 * ```
 */
export function localNodes(file: ClusterFile, host: ThisHost | null): ClusterNode[] {
  const addresses = new Set((host?.addresses ?? []).map(hostKey));
  const name = host?.hostname.toLowerCase() ?? "";
  const short = (h: string) => h.split(".")[0];
  return file.nodes.filter((n) => {
    if (n.legacy) return false;
    const h = hostKey(n.host);
    if (isLoopback(h) || addresses.has(h)) return true;
    return name !== "" && (h === name || short(h) === short(name)) && !/^[\d.]+$/.test(h);
  });
}

/**
 * The node id of a StatefulSet pod from its host name: the trailing ordinal plus 1
 * (`machine-0` → 1, `machine-12.machine.lab.svc.cluster.local` → 13). Throws a
 * {@linkcode UsageError} when the name has no trailing `-<ordinal>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idFromHostname } from "./cluster_nodes.ts";
 * assert.equal(idFromHostname("machine-0"), 1);
 * assert.equal(idFromHostname("machine-12.machine.lab.svc.cluster.local"), 13);
 * assert.throws(() => idFromHostname("laptop"), /must end in -<ordinal>/);
 * ```
 */
export function idFromHostname(hostname: string): number {
  const first = hostname.split(".")[0];
  const m = /-(\d{1,9})$/.exec(first);
  if (m === null) {
    throw new UsageError(
      `Cannot use --id-from-hostname as the host name must end in -<ordinal> (a StatefulSet ` +
        `pod such as "machine-0"; id = ordinal + 1): current value is ${JSON.stringify(hostname)}`,
    );
  }
  return Number(m[1]) + 1;
}

/** Flag names a cluster file may set (for docs and tests). */
export const CLUSTER_FILE_KEYS: { shared: string[]; node: string[] } = {
  shared: MACHINE_FLAGS.flags.filter((f) => f.scope === "shared").map((f) => fileKey(f)),
  node: [
    "id",
    "host",
    "port",
    "legacy",
    ...MACHINE_FLAGS.flags
      .filter((f) => f.scope === "node" && !["id", "port"].includes(f.name))
      .map((f) => fileKey(f)),
  ],
};

/**
 * The plan of a cluster run: which nodes, on which ports, linked to whom, logging where, with
 * which seed. Shared by the real cluster and the simulation, so both lay out a run the same.
 *
 * @module
 */
import type { PeerAddress } from "../core/peers.ts";
import { deriveSeed } from "../core/prng.ts";
import type { ClusterOptions } from "./options.ts";

/** One node of the plan. */
export interface NodePlan {
  /** Machine id, 1..count. */
  id: number;
  /** Listening port. */
  port: number;
  /** Every other node with its id (`2@host:port`), in id order (the die's peer order). */
  peers: PeerAddress[];
  /** Log file path: `<dir>/machine_<id>.log`. */
  log: string;
  /** Node seed derived from the run seed. */
  seed: number;
  /** Its flags from a cluster file (then `peers` is empty: they are in these flags). */
  args?: string[];
}

/**
 * Lays out `options.count` nodes logging into `dir`.
 *
 * @example
 * ```ts
 * import { planNodes } from "./plan.ts";
 * const nodes = planNodes("logs/run_x", { count: 3, basePort: 5001, bind: "127.0.0.1", seed: 7 });
 * import assert from "node:assert/strict";
 * assert.deepEqual(nodes[0].peers, [
 *   { host: "127.0.0.1", port: 5002, id: 2 },
 *   { host: "127.0.0.1", port: 5003, id: 3 },
 * ]);
 * assert.equal(nodes[2].log, "logs/run_x/machine_3.log");
 * ```
 */
export function planNodes(
  dir: string,
  options: Pick<ClusterOptions, "count" | "basePort" | "bind" | "seed" | "fileNodes">,
): NodePlan[] {
  if (options.fileNodes !== undefined) {
    return options.fileNodes.map((n, i) => ({
      id: n.id,
      port: n.port,
      peers: [],
      log: `${dir}/machine_${n.id}.log`,
      seed: deriveSeed(options.seed, i),
      args: n.args,
    }));
  }
  const host = connectHost(options.bind);
  const ports = Array.from({ length: options.count }, (_, i) => options.basePort + i);
  return ports.map((port, i) => ({
    id: i + 1,
    port,
    peers: ports.flatMap((p, j) => (p === port ? [] : [{ host, port: p, id: j + 1 }])),
    log: `${dir}/machine_${i + 1}.log`,
    seed: deriveSeed(options.seed, i),
  }));
}

/**
 * The address peers connect to for a listen address: a wildcard (`0.0.0.0`, `::`) becomes the
 * loopback of its family; anything else is used as given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connectHost } from "./plan.ts";
 * assert.equal(connectHost("0.0.0.0"), "127.0.0.1");
 * assert.equal(connectHost("::"), "::1");
 * ```
 */
export function connectHost(bind: string): string {
  if (bind === "0.0.0.0") return "127.0.0.1";
  if (bind === "::" || bind === "[::]") return "::1";
  return bind.replace(/^\[(.*)\]$/, "$1");
}

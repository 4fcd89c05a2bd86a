/**
 * The time budgets of a local cluster that grow with its size: how long its nodes may take to
 * start and link, how long each waits for acks at the end, and how long they may take to end.
 * Measured on a 2-core host (BENCHMARKS.md, "Cluster").
 *
 * @module
 */

/**
 * The `--drain-ms` of each of `count` nodes on this host: how long a node waits at the end for
 * the acks of what it sent (and for quiet inbound links), 300 ms (the node's default) plus 5 ms
 * per node. When a hundred nodes end at once, acks come late: with 300 ms, a 128-node run with
 * the secret logged 226 messages UNDELIVERED at the end (BENCHMARKS.md, "Cluster"). A node
 * whose messages are all acknowledged ends at once all the same.
 *
 * @example
 * ```ts
 * import { nodeDrainMs } from "./timing.ts";
 * import assert from "node:assert/strict";
 * assert.equal(nodeDrainMs(3), 315);
 * assert.equal(nodeDrainMs(128), 940);
 * ```
 */
export function nodeDrainMs(count: number): number {
  return 300 + 5 * count;
}

/**
 * How long `count` nodes on this host may take to end after their last tick, before `--grace`
 * counts: their drain ({@linkcode nodeDrainMs}), 100 ms for writing END and exiting, and 50 ms
 * per node, as they all end at once on the host's cores (on 2 cores the last of 128 nodes
 * exited 2.5-4.2 s after the end; a fixed 400 ms failed such a run; BENCHMARKS.md, "Cluster").
 *
 * @example
 * ```ts
 * import { finishMarginMs } from "./timing.ts";
 * import assert from "node:assert/strict";
 * assert.equal(finishMarginMs(3), 565);
 * assert.equal(finishMarginMs(128), 7440);
 * ```
 */
export function finishMarginMs(count: number): number {
  return nodeDrainMs(count) + 100 + 50 * count;
}

/**
 * How long `count` nodes on this host may take to be all listening and linked before the run
 * fails: 10 s, plus 250 ms per node (each process starts), plus 2 ms per node squared (each
 * node links to every other one: N × (N - 1) links in all). On 2 cores 128 nodes with a secret
 * were all linked after about 33 s, of the 75 s allowed (BENCHMARKS.md, "Cluster").
 *
 * @example
 * ```ts
 * import { startTimeoutMs } from "./timing.ts";
 * import assert from "node:assert/strict";
 * assert.equal(startTimeoutMs(3), 10_768);
 * assert.equal(startTimeoutMs(128), 74_768);
 * ```
 */
export function startTimeoutMs(count: number): number {
  return 10_000 + 250 * count + 2 * count * count;
}

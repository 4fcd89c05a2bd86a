/**
 * The parent control protocol of `machine.ts --control` (used by `run_machine.ts`):
 * JSON lines on stdout (`listening`, `linked`, `status`, `done`), and on stdin a line
 * `start <epochMs>`; stdin EOF stops the node (so a node never outlives its parent).
 *
 * @module
 */
import process from "node:process";
import type { NodeStatus, RunningNode } from "./node.ts";
import { readLines } from "../io/lines.ts";
import { writeAllSync } from "../io/write_all.ts";
import { errorMessage } from "../core/errors.ts";

/** A line a node writes to its parent. */
export type ControlMessage =
  | {
    type: "listening";
    id: number;
    port: number;
    /** The node's clock rate (ticks/s). */
    rate: number;
  }
  | { type: "linked"; id: number }
  | ({ type: "status" } & NodeStatus)
  | {
    type: "done";
    id: number;
    final_clock: number;
    /** Process CPU time (user + system), ms. */
    cpu_ms: number;
    /** Highest resident set size seen (sampled with each status), bytes. */
    peak_rss: number;
  };

/**
 * Writes one control message as a JSON line to stdout.
 *
 * @example
 * ```ts ignore
 * import { emitControl } from "./control.ts";
 * emitControl({ type: "linked", id: 1 });
 * ```
 */
export function emitControl(message: ControlMessage): void {
  writeAllSync(Deno.stdout, JSON.stringify(message) + "\n");
}

/**
 * Parses a parent's command line: `start <epochMs>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseControlCommand } from "./control.ts";
 * assert.deepEqual(parseControlCommand("start 1764300000000"), { type: "start", at: 1764300000000 });
 * ```
 */
export function parseControlCommand(line: string): { type: "start"; at: number } {
  const m = /^start (\d+(?:\.\d+)?)$/.exec(line.trim());
  if (!m) {
    throw new Error(
      `Cannot parse control command as it must be "start <epochMs>": current value is ${
        JSON.stringify(line)
      }`,
    );
  }
  return { type: "start", at: Number(m[1]) };
}

/**
 * Runs the control protocol for `node` until it finishes: reports listening / linked /
 * status every `statusMs` / done, starts on `start <ms>`, stops on stdin EOF.
 *
 * @example
 * ```ts ignore
 * import { startNode } from "./node.ts";
 * import { runControl } from "./control.ts";
 * const node = startNode({ id: 1, port: 0, peers: [], log: "m.log", duration: 1, seed: 1 });
 * await runControl(node, { statusMs: 250 });
 * ```
 */
export async function runControl(node: RunningNode, options: { statusMs?: number } = {}) {
  const id = node.machine.id;
  emitControl({ type: "listening", id, port: node.transport.port, rate: node.machine.rate });
  let finished = false;
  node.linked.then(() => !finished && emitControl({ type: "linked", id }));
  let peakRss = Deno.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
    emitControl({ type: "status", ...node.status() });
  }, options.statusMs ?? 250);
  const reading = (async () => {
    try {
      for await (const line of readLines(Deno.stdin.readable)) {
        if (line.trim() !== "") node.begin(parseControlCommand(line).at);
      }
    } catch (err) {
      console.error(errorMessage(err));
    }
    node.stop("parent closed stdin"); // parent gone or closed our stdin
  })();
  await node.finished;
  finished = true;
  clearInterval(timer);
  const cpu = process.cpuUsage();
  emitControl({
    type: "done",
    id,
    final_clock: node.machine.clock,
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    peak_rss: Math.max(peakRss, Deno.memoryUsage().rss),
  });
  // The stdin reader is left pending: the caller exits the process after `done`.
  void reading;
}

/**
 * The parent control protocol of `machine.ts --control` (used by `run_machine.ts`):
 * JSON lines on stdout (`listening`, `linked`, `status`, `done`), and on stdin the lines
 * `start <epochMs>` and `stop [reason]`; stdin EOF stops the node too (so a node never outlives
 * its parent). The END of a node stopped this way says why: `"parent: <reason>"` after `stop`,
 * `"parent gone"` when the parent died (its pipes broke, or the node was re-parented), else
 * `"parent closed stdin"`.
 *
 * @module
 */
import process from "node:process";
import type { NodeStatus, RunningNode } from "./node.ts";
import { readLines } from "../io/lines.ts";
import { writeAllSync, type WriterSync } from "../io/write_all.ts";
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
 * Writes one control message as a JSON line to `out` (default stdout). Never throws: a write
 * that fails (the parent is gone: a broken pipe) returns false.
 *
 * @example
 * ```ts
 * import { emitControl } from "./control.ts";
 * import assert from "node:assert/strict";
 * const broken = {
 *   writeSync(): number {
 *     throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
 *   },
 * };
 * assert.equal(emitControl({ type: "linked", id: 1 }, broken), false);
 * ```
 */
export function emitControl(message: ControlMessage, out: WriterSync = Deno.stdout): boolean {
  try {
    writeAllSync(out, JSON.stringify(message) + "\n");
    return true;
  } catch {
    return false;
  }
}

/** A parent's command: link to the peers, start ticking at an instant, or stop (with why). */
export type ControlCommand =
  | { type: "link" }
  | { type: "start"; at: number }
  | { type: "stop"; reason: string };

/** Longest `stop` reason kept (characters). */
const MAX_REASON = 200;

/**
 * Parses a parent's command line: `link`, `start <epochMs>` or `stop [reason]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseControlCommand } from "./control.ts";
 * assert.deepEqual(parseControlCommand("link"), { type: "link" });
 * assert.deepEqual(parseControlCommand("start 1764300000000"), { type: "start", at: 1764300000000 });
 * assert.deepEqual(parseControlCommand("stop interrupted by SIGINT"), {
 *   type: "stop",
 *   reason: "interrupted by SIGINT",
 * });
 * assert.deepEqual(parseControlCommand("stop"), { type: "stop", reason: "" });
 * ```
 */
export function parseControlCommand(line: string): ControlCommand {
  const text = line.trim();
  if (text === "link") return { type: "link" };
  const start = /^start (\d+(?:\.\d+)?)$/.exec(text);
  if (start) return { type: "start", at: Number(start[1]) };
  const stop = /^stop(?: (.*))?$/.exec(text);
  if (stop) return { type: "stop", reason: (stop[1] ?? "").slice(0, MAX_REASON) };
  throw new Error(
    `Cannot parse control command as it must be "link", "start <epochMs>" or "stop [reason]": ` +
      `current value is ${JSON.stringify(line)}`,
  );
}

/** Options of {@linkcode runControl}. */
export interface ControlOptions {
  /** Status interval (ms); default 250. */
  statusMs?: number;
  /** Where control lines go; default stdout. */
  output?: WriterSync;
  /** Where commands come from; default stdin. */
  input?: ReadableStream<Uint8Array>;
  /** Where problems are reported; default stderr (never throws). */
  report?: (message: string) => void;
}

/**
 * Runs the control protocol for `node` until it finishes: reports listening / linked /
 * status (every `statusMs`, when it changed) / done; links on `link` (a node started with
 * `holdLinks`), starts on `start <ms>`, stops on `stop` or stdin EOF. The parent going away is
 * never fatal: a failed write to it (a broken pipe) or a failed read stops the node cleanly
 * (drain, UNDELIVERED, END) and nothing more is written to the parent. Resolves once the node
 * has finished.
 *
 * @example
 * ```ts ignore
 * import { startNode } from "./node.ts";
 * import { runControl } from "./control.ts";
 * const node = startNode({ id: 1, port: 0, peers: [], log: "m.log", duration: 1, seed: 1 });
 * await runControl(node, { statusMs: 250 });
 * ```
 */
export async function runControl(node: RunningNode, options: ControlOptions = {}): Promise<void> {
  const id = node.machine.id;
  const output = options.output ?? Deno.stdout;
  const report = options.report ?? ((m: string) => console.error(m));
  const parent = Deno.ppid; // a different ppid later: the parent died (we were re-parented)
  let parentGone = false, finished = false, stopAsked = false;
  const send = (message: ControlMessage) => {
    if (parentGone) return;
    if (emitControl(message, output)) return;
    parentGone = true;
    report(
      `machine.ts: node ${id}: Cannot write to the parent: the pipe is closed (parent gone); stopping`,
    );
    node.stop("parent gone");
  };
  send({ type: "listening", id, port: node.transport.port, rate: node.machine.rate });
  node.linked.then(() => !finished && send({ type: "linked", id }));
  let peakRss = Deno.memoryUsage().rss;
  let last = "";
  let beats = 0;
  const timer = setInterval(() => {
    // RSS every 4th beat: `Deno.memoryUsage()` costs ~0.3 ms (hundreds of nodes on one host).
    if (++beats % 4 === 0) peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
    // Only what changed: an idle node (linked, waiting for the start) says nothing.
    const status = node.status();
    const text = JSON.stringify(status);
    if (text === last) return;
    last = text;
    send({ type: "status", ...status });
  }, options.statusMs ?? 250);
  const reading = (async () => {
    try {
      for await (const line of readLines(options.input ?? Deno.stdin.readable)) {
        if (line.trim() === "") continue;
        const command = parseControlCommand(line);
        if (command.type === "link") node.link();
        else if (command.type === "start") node.begin(command.at);
        else {
          stopAsked = true;
          node.stop(command.reason ? `parent: ${command.reason}` : "stopped by the parent");
        }
      }
    } catch (err) {
      report(
        `machine.ts: node ${id}: Cannot read the parent's commands: ${errorMessage(err)}; stopping`,
      );
      return node.stop("cannot read the parent's commands");
    }
    if (stopAsked) return;
    // EOF without `stop`: a parent that died closes our stdin a moment before we are
    // re-parented; give that moment before telling the two apart.
    const gone = parentGone || await reparented(parent, PARENT_GONE_WAIT_MS);
    node.stop(gone ? "parent gone" : "parent closed stdin");
  })();
  try {
    await node.finished;
  } finally {
    finished = true;
    clearInterval(timer);
  }
  const cpu = process.cpuUsage();
  send({
    type: "done",
    id,
    final_clock: node.machine.clock,
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    peak_rss: Math.max(peakRss, Deno.memoryUsage().rss),
  });
  // The stdin reader is left pending: the caller exits the process after `done`.
  void reading;
}

/** How long an EOF without `stop` waits to see whether the parent died (ms). */
const PARENT_GONE_WAIT_MS = 200;

/** Whether this process gets a parent other than `parent` within `ms`. */
async function reparented(parent: number, ms: number): Promise<boolean> {
  for (let waited = 0; Deno.ppid === parent; waited += 10) {
    if (waited >= ms) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/**
 * Progress of a running cluster: on a terminal one live line per node (redrawn in place; one
 * summary line when the nodes do not fit); otherwise one summary line every few seconds. Every
 * line starts with the time since the common start and the run's duration.
 *
 * @module
 */
import type { NodePhase, NodeStatusLine } from "./node_process.ts";
import { writeAllSync } from "../io/write_all.ts";

/** What the display needs of a node. */
export interface NodeView {
  /** Machine id. */
  id: number;
  /** Where it is in its life. */
  phase: NodePhase;
  /** Its last status line. */
  status: NodeStatusLine | null;
  /** Its clock rate (ticks/s), once known. */
  rate: number | null;
}

/**
 * One node's line: phase, rate, clock, queue, events, links.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNodeLine } from "./progress.ts";
 * assert.equal(
 *   formatNodeLine({ id: 2, phase: "running", rate: 3, status: { clock: 41, queue: 0, events: 30, links_up: 2, links: 2 } }),
 *   "node 2  running   rate 3/s  clock 41  queue 0  events 30  links 2/2",
 * );
 * ```
 */
export function formatNodeLine(node: NodeView): string {
  const s = node.status;
  const rate = node.rate === null ? "" : ` rate ${node.rate}/s `;
  const head = `node ${node.id}  ${node.phase.padEnd(9)}${rate}`;
  if (s === null) return head.trimEnd();
  return `${head} clock ${s.clock}  queue ${s.queue}  events ${s.events}  ` +
    `links ${s.links_up}/${s.links}`;
}

/**
 * One line summing up the nodes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSummaryLine } from "./progress.ts";
 * assert.equal(
 *   formatSummaryLine([
 *     { id: 1, phase: "running", rate: 2, status: { clock: 5, queue: 1, events: 4, links_up: 1, links: 1 } },
 *     { id: 2, phase: "running", rate: 6, status: { clock: 9, queue: 0, events: 6, links_up: 1, links: 1 } },
 *   ]),
 *   "2 nodes (2 running)  rates 2..6/s  clocks 5..9  events 10  queued 1  links 2/2",
 * );
 * ```
 */
export function formatSummaryLine(nodes: NodeView[]): string {
  const phases = new Map<string, number>();
  for (const n of nodes) phases.set(n.phase, (phases.get(n.phase) ?? 0) + 1);
  const st = nodes.map((n) => n.status).filter((s): s is NodeStatusLine => s !== null);
  const sum = (f: (s: NodeStatusLine) => number) => st.reduce((a, s) => a + f(s), 0);
  const clocks = st.map((s) => s.clock);
  const rates = nodes.map((n) => n.rate).filter((r): r is number => r !== null);
  const ph = [...phases].map(([p, n]) => `${n} ${p}`).join(", ");
  const rate = rates.length === 0 ? "" : `  rates ${span(rates)}/s`;
  const body = st.length === 0 ? "" : `  clocks ${span(clocks)}  ` +
    `events ${sum((s) => s.events)}  queued ${sum((s) => s.queue)}  ` +
    `links ${sum((s) => s.links_up)}/${sum((s) => s.links)}`;
  return `${nodes.length} nodes (${ph})${rate}${body}`;
}

/** `lo..hi`, or one number when they are equal. */
function span(values: number[]): string {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) (lo = Math.min(lo, v), hi = Math.max(hi, v));
  return lo === hi ? String(lo) : `${lo}..${hi}`;
}

/** Options of {@linkcode ProgressDisplay}. */
export interface ProgressOptions {
  /** Redraw in place (a terminal) or print one summary line per draw (a pipe, a log). */
  tty: boolean;
  /** The run's duration in seconds (shown in every line's time prefix). */
  duration: number;
  /** Where text goes; default stdout. */
  write?: (text: string) => void;
  /** Clock for the elapsed-time prefix (ms); default `Date.now`. */
  now?: () => number;
  /** Terminal rows: with more nodes than fit, the live display is one summary line; default the console's. */
  rows?: number;
}

function consoleRows(): number {
  try {
    return Deno.consoleSize().rows;
  } catch {
    return 24; // not a terminal
  }
}

function stdoutWrite(text: string): void {
  writeAllSync(Deno.stdout, text);
}

/**
 * Draws the nodes' progress; call {@linkcode ProgressDisplay.start} at the common start,
 * {@linkcode ProgressDisplay.draw} periodically and {@linkcode ProgressDisplay.finish} once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProgressDisplay } from "./progress.ts";
 * const lines: string[] = [];
 * const nodes = [1, 2, 3, 4, 5, 6, 7, 8].map((id) => ({
 *   id, phase: "running" as const, rate: id % 6 + 1,
 *   status: { clock: id, queue: 0, events: id, links_up: 7, links: 7 },
 * }));
 * const d = new ProgressDisplay(() => nodes, {
 *   tty: false, duration: 60, write: (t) => lines.push(t), now: () => 2000,
 * });
 * d.start(0);
 * d.draw();
 * assert.deepEqual(lines, [
 *   "[  2.0/60 s] 8 nodes (8 running)  rates 1..6/s  clocks 1..8  events 36  queued 0  links 56/56\n",
 * ]);
 * ```
 */
export class ProgressDisplay {
  #nodes: () => NodeView[];
  #o: Required<ProgressOptions>;
  #drawn = 0;
  #t0: number;

  /** `nodes` is read on every draw. */
  constructor(nodes: () => NodeView[], options: ProgressOptions) {
    this.#nodes = nodes;
    this.#o = { write: stdoutWrite, now: Date.now, rows: consoleRows(), ...options };
    this.#t0 = this.#o.now();
  }

  /** Times are counted from `at` (the common start, ms since the Unix epoch). */
  start(at: number): void {
    this.#t0 = at;
  }

  /** Redraws the live lines (terminal) or prints the summary line (plain). */
  draw(): void {
    const nodes = this.#nodes();
    const elapsed = Math.max(0, (this.#o.now() - this.#t0) / 1000);
    const t = `[${elapsed.toFixed(1).padStart(5)}/${this.#o.duration} s] `;
    if (!this.#o.tty) {
      this.#o.write(`${t}${formatSummaryLine(nodes)}\n`);
      return;
    }
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : "";
    const text = nodes.length <= this.#o.rows - 2
      ? nodes.map(formatNodeLine)
      : [formatSummaryLine(nodes)];
    const lines = text.map((l) => `\r\x1b[2K${t}${l}\n`);
    this.#o.write(up + lines.join(""));
    this.#drawn = lines.length;
  }

  /** Prints a line of its own; live lines are drawn again below it. */
  note(text: string): void {
    this.#o.write(`${this.#o.tty ? "\r\x1b[2K" : ""}${text}\n`);
    this.#drawn = 0;
  }

  /** Draws the last state once more (the live lines stay on screen). */
  finish(): void {
    this.draw();
    this.#drawn = 0;
  }
}

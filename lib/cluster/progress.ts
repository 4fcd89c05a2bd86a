/**
 * Progress of a running cluster: on a terminal one live line per node (redrawn in place);
 * otherwise plain lines every few seconds (one per node, or one summary line for many nodes).
 *
 * @module
 */
import type { NodePhase, NodeStatusLine } from "./node_process.ts";
import { writeAllSync } from "../io/write_all.ts";

/** What the display needs of a node. */
export interface NodeView {
  id: number;
  phase: NodePhase;
  status: NodeStatusLine | null;
}

/**
 * One node's line: phase, clock, queue, events, links.
 *
 * @example
 * ```ts
 * import { formatNodeLine } from "./progress.ts";
 * formatNodeLine({ id: 2, phase: "running", status: { clock: 41, queue: 0, events: 30, links_up: 2, links: 2 } });
 * // "node 2  running   clock 41  queue 0  events 30  links 2/2"
 * ```
 */
export function formatNodeLine(node: NodeView): string {
  const s = node.status;
  const head = `node ${node.id}  ${node.phase.padEnd(9)}`;
  if (s === null) return head.trimEnd();
  return `${head} clock ${s.clock}  queue ${s.queue}  events ${s.events}  ` +
    `links ${s.links_up}/${s.links}`;
}

/**
 * One line summing up many nodes.
 *
 * @example
 * ```ts
 * import { formatSummaryLine } from "./progress.ts";
 * formatSummaryLine([
 *   { id: 1, phase: "running", status: { clock: 5, queue: 1, events: 4, links_up: 1, links: 1 } },
 *   { id: 2, phase: "running", status: { clock: 9, queue: 0, events: 6, links_up: 1, links: 1 } },
 * ]);
 * // "2 nodes (2 running)  clocks 5..9  events 10  queued 1  links 2/2"
 * ```
 */
export function formatSummaryLine(nodes: NodeView[]): string {
  const phases = new Map<string, number>();
  for (const n of nodes) phases.set(n.phase, (phases.get(n.phase) ?? 0) + 1);
  const st = nodes.map((n) => n.status).filter((s): s is NodeStatusLine => s !== null);
  const sum = (f: (s: NodeStatusLine) => number) => st.reduce((a, s) => a + f(s), 0);
  const clocks = st.map((s) => s.clock);
  const ph = [...phases].map(([p, n]) => `${n} ${p}`).join(", ");
  const body = st.length === 0 ? "" : `  clocks ${Math.min(...clocks)}..${Math.max(...clocks)}  ` +
    `events ${sum((s) => s.events)}  queued ${sum((s) => s.queue)}  ` +
    `links ${sum((s) => s.links_up)}/${sum((s) => s.links)}`;
  return `${nodes.length} nodes (${ph})${body}`;
}

/** Options of {@linkcode ProgressDisplay}. */
export interface ProgressOptions {
  /** Redraw in place (a terminal) or print plain lines. */
  tty: boolean;
  /** Where text goes; default stdout. */
  write?: (text: string) => void;
  /** Plain mode: per-node lines up to this many nodes, else one summary line; default 8. */
  maxNodeLines?: number;
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

const stdoutWrite = (text: string) => writeAllSync(Deno.stdout, text);

/**
 * Draws the nodes' progress; call {@linkcode ProgressDisplay.draw} periodically and
 * {@linkcode ProgressDisplay.finish} once.
 *
 * @example
 * ```ts
 * import { ProgressDisplay } from "./progress.ts";
 * const lines: string[] = [];
 * const d = new ProgressDisplay(() => [{ id: 1, phase: "linked", status: null }], {
 *   tty: false, write: (t) => lines.push(t), now: () => 0,
 * });
 * d.draw(); // lines: ["[  0.0s] node 1  linked\n"]
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
    this.#o = {
      write: stdoutWrite,
      maxNodeLines: 8,
      now: Date.now,
      rows: consoleRows(),
      ...options,
    };
    this.#t0 = this.#o.now();
  }

  /** Redraws the live lines (terminal) or prints the current lines (plain). */
  draw(): void {
    const nodes = this.#nodes();
    const t = `[${((this.#o.now() - this.#t0) / 1000).toFixed(1).padStart(5)}s] `;
    if (!this.#o.tty) {
      const lines = nodes.length <= this.#o.maxNodeLines
        ? nodes.map(formatNodeLine)
        : [formatSummaryLine(nodes)];
      this.#o.write(lines.map((l) => t + l + "\n").join(""));
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

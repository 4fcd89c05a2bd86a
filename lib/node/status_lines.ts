/**
 * What a standalone node tells its user on stderr (the log file, or `--log -`, stays clean):
 * where it listens, what it waits for, links as they come up, a short progress line (redrawn
 * in place on a terminal, every few seconds otherwise) and a final line with the counts and
 * any peer that never connected.
 *
 * @module
 */
import type { NodeEnd, NodeSummary } from "./node_options.ts";

/** What the status lines read of a running node (a `RunningNode`). */
export interface StatusSource {
  /** The node's live account. */
  summary(): NodeSummary;
  /** Start instant once scheduled (ms since the Unix epoch), else `null`. */
  readonly startedAt: number | null;
  /** Seconds of ticking. */
  readonly duration: number;
}

/** Options of {@linkcode StatusLines}. */
export interface StatusLinesOptions {
  /** Where text goes (stderr). */
  write: (text: string) => void;
  /** Redraw the progress line in place (a terminal) instead of printing it every `everyMs`. */
  tty: boolean;
  /** Clock (ms since the Unix epoch); default `Date.now`. */
  now?: () => number;
  /** Plain progress interval (ms); default 5000. */
  everyMs?: number;
  /** How often links and the live line are looked at (ms); default 250. */
  pollMs?: number;
}

/**
 * The status lines of one node: {@linkcode StatusLines.begin} once it listens,
 * {@linkcode StatusLines.poll} (a timer calls it every `pollMs`), {@linkcode StatusLines.finish}
 * with how it ended.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { StatusLines } from "./status_lines.ts";
 * const out: string[] = [];
 * const summary = {
 *   id: 1, clock: 7, queue: 0, events: 7, links_up: 1, links: 2, sent: 3, received: 2,
 *   internal: 2, undelivered: 0,
 *   peers: [
 *     { peer: "2@127.0.0.1:5002", up: true, everUp: true },
 *     { peer: "3@127.0.0.1:5003", up: false, everUp: false },
 *   ],
 * };
 * const lines = new StatusLines({ summary: () => summary, startedAt: 0, duration: 2 }, {
 *   write: (t) => out.push(t), tty: false, now: () => 2000,
 * });
 * lines.begin({ id: 1, address: "127.0.0.1:5001", log: "m.log", rate: 3, seed: 9 });
 * lines.poll();
 * lines.finish({ reason: "completed", detail: "", logProblem: null });
 * assert.deepEqual(out, [
 *   'node 1: listening on 127.0.0.1:5001, logging to "m.log" (rate 3 ticks/s, seed 9)\n',
 *   "node 1: linked 1/2: 2@127.0.0.1:5002 up\n",
 *   "node 1: completed after 2.0 s: final clock 7; events 7; messages sent 3, received 2, " +
 *   "undelivered 0; never connected: 3@127.0.0.1:5003\n",
 * ]);
 * ```
 */
export class StatusLines {
  #node: StatusSource;
  #o: Required<StatusLinesOptions>;
  #id = 0;
  #up = new Map<string, boolean>();
  #live = ""; // the progress line on screen (terminal)
  #lastPlain = -Infinity;
  #timer: ReturnType<typeof setInterval> | undefined;
  #waitingShown = false;
  #startShown = false;

  /** Reads `node`; writes with `options.write`. */
  constructor(node: StatusSource, options: StatusLinesOptions) {
    this.#node = node;
    this.#o = { now: Date.now, everyMs: 5000, pollMs: 250, ...options };
  }

  /** The node listens: says where, and starts polling every `pollMs` (`timer: false`: not). */
  begin(info: {
    id: number;
    address: string;
    log: string;
    rate: number;
    seed: number;
    timer?: boolean;
  }): void {
    this.#id = info.id;
    const peers = this.#node.summary().peers;
    this.#line(
      `listening on ${info.address}, logging to ${JSON.stringify(info.log)} (rate ` +
        `${info.rate} ticks/s, seed ${info.seed})` +
        (peers.length === 0 ? "; no peers" : ""),
    );
    if (info.timer ?? false) this.#timer = setInterval(() => this.poll(), this.#o.pollMs);
    this.poll();
  }

  /** Prints link changes, the start, and the progress line when due. */
  poll(): void {
    const s = this.#node.summary();
    const upCount = s.peers.filter((p) => p.up).length;
    for (const p of s.peers) {
      const was = this.#up.get(p.peer) ?? false;
      if (p.up !== was) {
        this.#line(`linked ${upCount}/${s.peers.length}: ${p.peer} ${p.up ? "up" : "down"}`);
      }
      this.#up.set(p.peer, p.up);
    }
    const now = this.#o.now();
    const at = this.#node.startedAt;
    if (at !== null && at > now && !this.#waitingShown) {
      this.#waitingShown = true;
      this.#line(
        `waiting for --start-at ${new Date(at).toISOString()} (in ${fmt((at - now) / 1000)} s)` +
          (s.peers.length > upCount ? `; linking to ${s.peers.length - upCount} peer(s)` : ""),
      );
    }
    if (at !== null && at <= now && !this.#startShown) {
      this.#startShown = true;
      if (this.#waitingShown) this.#line(`started; ticking for ${this.#node.duration} s`);
    }
    if (at === null || at > now) return;
    const progress = this.#progress(s, now - at);
    if (this.#o.tty) {
      this.#o.write(`\r\x1b[2K${progress}`);
      this.#live = progress;
    } else if (now - this.#lastPlain >= this.#o.everyMs) {
      if (this.#lastPlain !== -Infinity) this.#o.write(`${progress}\n`);
      this.#lastPlain = now;
    }
  }

  /** The node ended: stops polling and prints the final line. */
  finish(end: NodeEnd): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#live !== "") this.#o.write("\n"); // the last progress line stays on screen
    this.#live = "";
    const s = this.#node.summary();
    const at = this.#node.startedAt;
    const ran = at === null || at > this.#o.now()
      ? " before starting"
      : ` after ${fmt(Math.min((this.#o.now() - at) / 1000, this.#node.duration))} s`;
    // A failure's reason follows on a line of its own (machine.ts prints it).
    const how = end.reason === "stopped" ? `stopped (${end.detail})` : end.reason;
    const never = s.peers.filter((p) => !p.everUp).map((p) => p.peer);
    this.#line(
      `${how}${ran}: final clock ${s.clock}; events ${s.events}; messages sent ${s.sent}, ` +
        `received ${s.received}${s.queue > 0 ? ` (+${s.queue} queued at END)` : ""}, ` +
        `undelivered ${s.undelivered}` +
        (never.length > 0 ? `; never connected: ${never.join(", ")}` : ""),
    );
  }

  #progress(s: NodeSummary, elapsedMs: number): string {
    const elapsed = Math.min(elapsedMs / 1000, this.#node.duration);
    return `node ${this.#id}  ${fmt(elapsed)}/${this.#node.duration} s  clock ${s.clock}  ` +
      `events ${s.events}  sent ${s.sent}  received ${s.received}  queue ${s.queue}  ` +
      `links ${s.links_up}/${s.links}`;
  }

  /** A line of its own; the live progress line is drawn again after it. */
  #line(text: string): void {
    const clear = this.#o.tty && this.#live !== "" ? "\r\x1b[2K" : "";
    this.#o.write(`${clear}node ${this.#id}: ${text}\n${clear ? this.#live : ""}`);
  }
}

function fmt(seconds: number): string {
  return seconds.toFixed(1);
}

/**
 * ShiViz export (DistributedClocks/shiviz): a log it opens as is. Line 1 is the parsing regex
 * (ShiViz wraps it in `^…$`), line 2 the (empty) multiple-executions delimiter, then two lines
 * per SEND/RECEIVE/INTERNAL event: the host and its vector clock as JSON, and the event text
 * (type, Lamport value, seq, the sender of a RECEIVE, time since the run start).
 *
 * @module
 */
import { type CausalSink, CK_RECEIVE, CK_SEND, type TrackedEvent } from "./input.ts";

/** The parsing regex written on the first line. */
export const SHIVIZ_REGEX: string = String.raw`(?<host>\S+) (?<clock>\{.*\})\n(?<event>.*)`;

/** What {@link ShivizWriter} reads the vector clocks from (a `CausalityTracker`). */
export interface ClockSource {
  /** Entry `j` of the vector clock of process `p`'s latest event. */
  entry(p: number, j: number): number;
}

/**
 * Host name of a machine in the export: `machine_<id>`, plus `#<k>` for the k-th log of an id
 * given twice (incarnations).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shivizHosts } from "./shiviz.ts";
 * assert.deepEqual(shivizHosts([1, 2, 2]), ["machine_1", "machine_2", "machine_2#2"]);
 * ```
 */
export function shivizHosts(machineIds: number[]): string[] {
  const seen = new Map<number, number>();
  return machineIds.map((id) => {
    const k = (seen.get(id) ?? 0) + 1;
    seen.set(id, k);
    return k === 1 ? `machine_${id}` : `machine_${id}#${k}`;
  });
}

const NAMES = ["START", "SEND", "RECEIVE", "INTERNAL"];

/**
 * Writes the export as the tracker goes (a sink of `CausalityTracker`): `write` gets the text
 * in chunks (the header first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ShivizWriter } from "./shiviz.ts";
 * const out: string[] = [];
 * const w = new ShivizWriter({ entry: (p, j) => (j === p ? 1 : 0) }, {
 *   hosts: ["machine_1"], start: 100, write: (t) => out.push(t),
 * });
 * w.event(0, { kind: 3, index: 0, lamport: 1, time: 100.5, line: 2, seq: NaN, sender: -1 });
 * w.flush();
 * assert.equal(
 *   out.join(""),
 *   '(?<host>\\S+) (?<clock>\\{.*\\})\\n(?<event>.*)\n\n' +
 *     'machine_1 {"machine_1":1}\nINTERNAL lamport=1 t=0.500000\n',
 * );
 * ```
 */
export class ShivizWriter implements CausalSink {
  #clocks: ClockSource;
  #hosts: string[];
  #keys: string[];
  #start: number;
  #write: (text: string) => void;
  #buf: string[] = [];
  #size = 0;

  /** Writes the header at once; `hosts` are named per process (see {@link shivizHosts}). */
  constructor(
    clocks: ClockSource,
    options: { hosts: string[]; start: number; write: (text: string) => void },
  ) {
    this.#clocks = clocks;
    this.#hosts = options.hosts;
    this.#keys = options.hosts.map((h) => JSON.stringify(h));
    this.#start = options.start;
    this.#write = options.write;
    this.#push(`${SHIVIZ_REGEX}\n\n`);
  }

  /** Writes one event. */
  event(p: number, e: TrackedEvent): void {
    let clock = "{", first = true;
    const keys = this.#keys, src = this.#clocks;
    for (let j = 0; j < keys.length; j++) {
      const v = src.entry(p, j);
      if (v === 0) continue;
      clock += (first ? "" : ",") + keys[j] + ":" + v;
      first = false;
    }
    let text = `${NAMES[e.kind]} lamport=${e.lamport}`;
    if (e.kind === CK_SEND || e.kind === CK_RECEIVE) text += ` seq=${e.seq}`;
    if (e.kind === CK_RECEIVE) {
      text += e.sender >= 0 ? ` from=${this.#hosts[e.sender]}` : " from=(not in these logs)";
    }
    text += ` t=${(e.time - this.#start).toFixed(6)}`;
    this.#push(`${this.#hosts[p]} ${clock}}\n${text}\n`);
  }

  /** Messages are in the clocks already. */
  message(): void {}

  /** Hands over what is buffered. */
  flush(): void {
    if (this.#size === 0) return;
    this.#write(this.#buf.join(""));
    this.#buf.length = 0;
    this.#size = 0;
  }

  #push(text: string): void {
    this.#buf.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 16) this.flush();
  }
}

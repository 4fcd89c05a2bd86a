/**
 * Holds back a process's events while one of its RECEIVEs waits for its SEND (logs merged by
 * `system_time` from hosts whose clocks disagree can show a receive before its send). A process
 * waits on one sender; when that sender makes progress the process is retried. Bounded: past
 * `maxPending` held events, the longest queue's RECEIVE goes on without its edge (forced).
 *
 * @module
 */
import type { CausalInput } from "./input.ts";

/**
 * The per-process queues of held-back events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HoldBack } from "./_hold_back.ts";
 * import { CausalInput } from "./input.ts";
 * let sent = false;
 * const order: string[] = [];
 * const hb: HoldBack = new HoldBack(2, {
 *   maxPending: 10,
 *   apply: (p, e) => {
 *     if (p === 1 && e.seq === 1 && !sent) return hb.wait(1, 0); // receive before its send
 *     if (p === 0) (sent = true, hb.wake(0));
 *     order.push(`${p}:${e.seq}`);
 *     return true;
 *   },
 * });
 * const e = new CausalInput();
 * e.seq = 1;
 * hb.feed(1, e); // held back
 * hb.feed(0, e); // the send: process 1 resumes
 * assert.deepEqual(order, ["0:1", "1:1"]);
 * ```
 */
export class HoldBack {
  #force = false;
  #apply: (p: number, e: CausalInput) => boolean;
  #pending: (CausalInput[] | null)[];
  #head: Int32Array;
  #waiters: number[][];
  #ready: number[] = [];
  #running = false;
  #held = 0;
  #max: number;

  /** `apply(p, e)` processes an event, or returns `wait(p, s)` (false) to hold it back. */
  constructor(
    n: number,
    options: { apply: (p: number, e: CausalInput) => boolean; maxPending: number },
  ) {
    this.#apply = options.apply;
    this.#max = options.maxPending;
    this.#pending = new Array(n).fill(null);
    this.#head = new Int32Array(n);
    this.#waiters = Array.from({ length: n }, () => []);
  }

  /** Events held back, all processes. */
  get held(): number {
    return this.#held;
  }

  /** Whether process `p` holds nothing back. */
  idle(p: number): boolean {
    return this.#pending[p] === null;
  }

  /** An event of `p`, in its log's order. */
  feed(p: number, e: CausalInput): void {
    const q = this.#pending[p];
    if (q !== null) {
      q.push(e.copy());
      if (++this.#held > this.#max) this.relieve();
    } else if (!this.#apply(p, e)) {
      this.#pending[p] = [e.copy()];
      this.#head[p] = 0;
      this.#held++;
    }
    if (this.#ready.length > 0) this.#run();
  }

  /** `p` waits for progress of `s`; returns false (for `apply` to return). */
  wait(p: number, s: number): false {
    this.#waiters[s].push(p);
    return false;
  }

  /** `s` made progress: its waiters are retried. */
  wake(s: number): void {
    const w = this.#waiters[s];
    if (w.length === 0) return;
    for (const p of w) this.#ready.push(p);
    w.length = 0;
  }

  /** Retries every process that holds events back, until none can go on. */
  retryAll(): void {
    for (let p = 0; p < this.#pending.length; p++) if (this.#pending[p] !== null) this.#drain(p);
    this.#run();
  }

  /** True while a held RECEIVE must go on without waiting (see {@link relieve}). */
  get force(): boolean {
    return this.#force;
  }

  /** The longest queue's first event (a waiting RECEIVE) goes on with {@link force} set. */
  relieve(): void {
    let worst = -1, most = 0;
    for (let p = 0; p < this.#pending.length; p++) {
      const q = this.#pending[p];
      if (q !== null && q.length - this.#head[p] > most) {
        (worst = p, most = q.length - this.#head[p]);
      }
    }
    if (worst < 0) return;
    const q = this.#pending[worst]!;
    this.#force = true;
    this.#apply(worst, q[this.#head[worst]]);
    this.#force = false;
    this.#head[worst]++;
    this.#held--;
    if (this.#head[worst] === q.length) this.#pending[worst] = null;
    this.#drain(worst);
    this.#run();
  }

  #run(): void {
    if (this.#running) return;
    this.#running = true;
    while (this.#ready.length > 0) this.#drain(this.#ready.pop()!);
    this.#running = false;
  }

  #drain(p: number): void {
    const q = this.#pending[p];
    if (q === null) return;
    let h = this.#head[p];
    while (h < q.length && this.#apply(p, q[h])) (h++, this.#held--);
    this.#head[p] = h;
    if (h === q.length) this.#pending[p] = null;
    else if (h > 1024 && h * 2 > q.length) {
      this.#pending[p] = q.slice(h);
      this.#head[p] = 0;
    }
  }
}

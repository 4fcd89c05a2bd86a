/**
 * One "virtual machine": a Lamport clock, a receive queue and the per-tick action rule of
 * the original project. No I/O: transport, time source, randomness and the log sink are
 * injected, so the same code runs over TCP, in tests and in the virtual-time simulation.
 *
 * @module
 */
import { checkReceivedClock, isClockValue, LamportClock } from "./clock.ts";
import type { EventBase, LogEvent } from "./log_schema.ts";
import { formatPeer } from "./peers.ts";
import { rollDie } from "./prng.ts";
import { type Incoming, ReceiveQueue } from "./receive_queue.ts";
import type { MsgFrame } from "./wire.ts";
import type { EndOptions, MachineCounts, MachineOptions, ReportEvent } from "./machine_options.ts";

export type { Incoming };
export type {
  EndOptions,
  MachineCounts,
  MachineOptions,
  ReportEvent,
  Transport,
} from "./machine_options.ts";

/**
 * A Lamport node. Call {@linkcode Machine.start} once, {@linkcode Machine.tick} at its rate,
 * {@linkcode Machine.enqueue} when a message arrives, {@linkcode Machine.end} once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Machine } from "./machine.ts";
 * import type { LogEvent } from "./log_schema.ts";
 * import { Prng } from "./prng.ts";
 * const events: LogEvent[] = [];
 * const m = new Machine({
 *   id: 1, peers: [], now: () => 0, random: new Prng(1), log: (e) => events.push(e),
 *   transport: { send() {}, peerId: () => null },
 * });
 * m.start();
 * m.enqueue({ from: 2, seq: 1, clock: 10, arrivedMs: 0 });
 * m.tick(); // a queued message is processed first: RECEIVE, clock = max(0, 10) + 1
 * m.end();
 * assert.deepEqual(events.map((e) => e.event), ["STARTUP", "RECEIVE", "END"]);
 * assert.equal(m.clock, 11);
 * ```
 */
export class Machine {
  /** Machine id. */
  readonly id: number;
  /** Clock rate in ticks per second (fixed or drawn at construction). */
  readonly rate: number;
  /** Sides of the action die. */
  readonly dieSides: number;
  #o: MachineOptions;
  #clock = new LamportClock();
  #queue = new ReceiveQueue();
  #seq = 0;
  #state: "new" | "running" | "ended" = "new";
  #counts: MachineCounts = { SEND: 0, RECEIVE: 0, INTERNAL: 0 };

  /** Validates options and picks the clock rate (fixed, or random from the range). */
  constructor(options: MachineOptions) {
    const { id, dieSides = 10, rateRange = [1, 6] } = options;
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new RangeError(`Cannot create machine: current id is ${id} (want an integer ≥ 0)`);
    }
    if (!Number.isSafeInteger(dieSides) || dieSides < 3) {
      throw new RangeError(
        `Cannot use die: current sides is ${dieSides} (want an integer ≥ 3)`,
      );
    }
    const [lo, hi] = rateRange;
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo < 1 || hi < lo) {
      throw new RangeError(
        `Cannot pick a rate: current range is ${lo}..${hi} (want integers 1 ≤ min ≤ max)`,
      );
    }
    if (options.rate !== undefined && !(options.rate > 0 && Number.isFinite(options.rate))) {
      throw new RangeError(`Cannot use rate: current value is ${options.rate} (want > 0)`);
    }
    this.#o = options;
    this.id = id;
    this.dieSides = dieSides;
    this.rate = options.rate ?? lo - 1 + rollDie(options.random, hi - lo + 1);
  }

  /** Current Lamport clock. */
  get clock(): number {
    return this.#clock.value;
  }

  /** Messages waiting in the receive queue. */
  get queueLength(): number {
    return this.#queue.length;
  }

  /** Whether the clock can still advance: `false` at 2^53 - 1, where no tick is possible. */
  get canTick(): boolean {
    return this.#clock.canAdvance;
  }

  /** Events logged so far, by kind. */
  get counts(): Readonly<MachineCounts> {
    return this.#counts;
  }

  /** Whether {@linkcode Machine.end} was called. */
  get ended(): boolean {
    return this.#state === "ended";
  }

  /** Logs STARTUP. */
  start(): void {
    this.#require("new", "start");
    this.#state = "running";
    this.#o.log({
      ...this.#base("STARTUP"),
      clock_rate: this.rate,
      port: this.#o.port ?? 0,
      peers: this.#o.peers.map(formatPeer),
      seed: this.#o.seed ?? this.#o.random.seed ?? 0,
      die_sides: this.dieSides,
      session: this.#o.session ?? 0,
    });
  }

  /** Puts an arrived message on the receive queue (valid clock values only). */
  enqueue(message: Incoming): void {
    if (this.#state === "ended") {
      throw new Error(`Cannot enqueue message: machine ${this.id} has ended`);
    }
    if (!isClockValue(message.clock)) {
      throw new RangeError(
        `Cannot enqueue message: current clock value is ${message.clock} (want a safe integer ≥ 0)`,
      );
    }
    this.#queue.push(message);
  }

  /**
   * Queues an arrived message unless its clock must be refused (see `checkReceivedClock`:
   * not a safe integer, past 2^53 - 1, or more than `maxClockJump` ahead of the local clock).
   * Returns `""` when queued, else the reason; a refused message never touches the clock.
   *
   * @example
   * ```ts
   * import { Machine } from "./machine.ts";
   * import { Prng } from "./prng.ts";
   * import assert from "node:assert/strict";
   * const m = new Machine({
   *   id: 1, peers: [], now: () => 0, random: new Prng(1), log: () => {},
   *   transport: { send() {}, peerId: () => null }, maxClockJump: 1000,
   * });
   * m.start();
   * assert.equal(m.admit({ from: 2, seq: 1, clock: 900, arrivedMs: 0 }), "");
   * assert.match(m.admit({ from: 2, seq: 2, clock: 5000, arrivedMs: 0 }), /ahead of the local clock/);
   * assert.equal(m.queueLength, 1);
   * ```
   */
  admit(message: Incoming): string {
    const why = checkReceivedClock(message.clock, this.clock, { maxJump: this.#o.maxClockJump });
    if (why === "") this.enqueue(message);
    return why;
  }

  /** One tick: process one queued message if any, else roll the die. */
  tick(): void {
    this.#require("running", "tick");
    if (this.queueLength > 0) return this.receive();
    const roll = rollDie(this.#o.random, this.dieSides);
    const n = this.#o.peers.length;
    if (n === 0 || roll > 3) return this.internal();
    if (roll === 3) return this.send(this.#o.peers.map((_, i) => i));
    this.send([n === 1 ? 0 : roll - 1]);
  }

  /** RECEIVE: takes the oldest queued message; clock = max(local, msg) + 1. */
  receive(): void {
    this.#require("running", "receive");
    const msg = this.#queue.shift();
    if (msg === undefined) throw new Error(`Cannot receive: machine ${this.id} has an empty queue`);
    const step = this.#clock.receive(msg.clock);
    this.#counts.RECEIVE++;
    this.#o.log({
      ...this.#base("RECEIVE"),
      old_clock: step.old,
      new_clock: step.new,
      queue_len: this.queueLength,
      from: msg.from,
      seq: msg.seq,
      msg_clock: msg.clock,
      arrival_time: msg.arrivedMs / 1000,
      from_session: msg.session ?? null,
    });
  }

  /** SEND: one clock increment and one `seq` for all `peers` (indices); that value travels. */
  send(peers: number[]): void {
    this.#require("running", "send");
    for (const p of peers) {
      if (!(p >= 0 && p < this.#o.peers.length && Number.isInteger(p))) {
        throw new RangeError(
          `Cannot send to peer: current index is ${p} (have ${this.#o.peers.length} peers)`,
        );
      }
    }
    const step = this.#clock.tick();
    const seq = ++this.#seq;
    const { transport } = this.#o;
    this.#counts.SEND++;
    this.#o.log({
      ...this.#base("SEND"),
      old_clock: step.old,
      new_clock: step.new,
      recipients: peers.map((p) => [this.#o.peers[p].host, this.#o.peers[p].port]),
      to: peers.map((p) => transport.peerId(p)),
      seq,
    });
    const frame: MsgFrame = { type: "msg", from: this.id, seq, clock: step.new };
    for (const p of peers) transport.send(p, frame);
  }

  /** INTERNAL: clock + 1. */
  internal(): void {
    this.#require("running", "run an internal event");
    const step = this.#clock.tick();
    this.#counts.INTERNAL++;
    this.#o.log({ ...this.#base("INTERNAL"), old_clock: step.old, new_clock: step.new });
  }

  /**
   * Logs END with the final clock, every message still queued and how the node ended
   * (default `"completed"`). Only once.
   */
  end(options: EndOptions = {}): void {
    if (this.#state === "ended") return;
    this.#state = "ended";
    const queued = this.#queue.toArray().map((m) => ({
      from: m.from,
      seq: m.seq,
      clock: m.clock,
      session: m.session ?? null,
    }));
    this.#o.log({
      ...this.#base("END"),
      final_clock: this.clock,
      queued: queued.length,
      queued_msgs: queued,
      reason: options.reason ?? "completed",
      detail: options.detail ?? "",
    });
  }

  /**
   * Logs a transport event (UNDELIVERED, LINK_UP, LINK_DOWN, PROTOCOL_ERROR) stamped with this
   * machine's id and time. Returns `false` (and logs nothing) once END was written, so END
   * stays the last line.
   */
  report<E extends ReportEvent>(
    event: E,
    fields: Omit<Extract<LogEvent, { event: E }>, keyof EventBase>,
  ): boolean {
    if (this.#state === "ended") return false;
    this.#o.log({ ...this.#base(event), ...fields } as unknown as LogEvent);
    return true;
  }

  #require(state: "new" | "running", action: string): void {
    if (this.#state !== state) {
      throw new Error(`Cannot ${action}: machine ${this.id} is ${this.#state}`);
    }
  }

  #base<E extends LogEvent["event"]>(event: E) {
    return { event, system_time: this.#o.now() / 1000, machine_id: this.id };
  }
}

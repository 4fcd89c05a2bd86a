/**
 * One "virtual machine": a Lamport clock, a receive queue and the per-tick action rule of
 * the original project. No I/O: transport, time source, randomness and the log sink are
 * injected, so the same code runs over TCP, in tests and in the virtual-time simulation.
 *
 * @module
 */
import { isClockValue, LamportClock } from "./clock.ts";
import type { EventBase, LogEvent, QueuedMessage } from "./log_schema.ts";
import { formatPeer, type PeerAddress } from "./peers.ts";
import { type RandomSource, rollDie } from "./prng.ts";
import type { MsgFrame } from "./wire.ts";

/** Delivers messages to peers (TCP, in-memory, or a test fake). */
export interface Transport {
  /** Hands `frame` over for delivery to peer number `peer` (index into the peer list). */
  send(peer: number, frame: MsgFrame): void;
  /** The peer's machine id once known (after its hello), else `null`. */
  peerId(peer: number): number | null;
}

/** A message waiting in the receive queue. */
export interface Incoming {
  /** Sender id; `null` for an original-format (bare integer) message. */
  from: number | null;
  /** Sender's sequence number; `null` for an original-format message. */
  seq: number | null;
  /** Clock value carried (already validated). */
  clock: number;
  /** Arrival time, ms of the injected time source. */
  arrivedMs: number;
}

/** Everything a {@linkcode Machine} needs. */
export interface MachineOptions {
  /** Machine id (non-negative integer). */
  id: number;
  /** Peer addresses, in the order the die refers to them (1 → first, 2 → second). */
  peers: PeerAddress[];
  /** Message delivery. */
  transport: Transport;
  /** Time source in ms since the Unix epoch (may be virtual). */
  now: () => number;
  /** Random numbers in [0, 1) (seeded). */
  random: RandomSource;
  /** Sink for log events. */
  log: (event: LogEvent) => void;
  /** Fixed clock rate (ticks/s); when absent a random integer in `rateRange`. */
  rate?: number;
  /** Range of the random integer rate; default `[1, 6]`. */
  rateRange?: [number, number];
  /** Sides of the action die; default 10 (1, 2, 3 send; the rest are INTERNAL). */
  dieSides?: number;
  /** Seed shown in STARTUP (the seed `random` was made from). */
  seed?: number;
  /** Listening port shown in STARTUP. */
  port?: number;
}

/** Events a transport reports through {@linkcode Machine.report}. */
export type ReportEvent = "UNDELIVERED" | "LINK_UP" | "LINK_DOWN" | "PROTOCOL_ERROR";

/** Counts of logged events by kind. */
export interface MachineCounts {
  /** SEND events. */
  SEND: number;
  /** RECEIVE events. */
  RECEIVE: number;
  /** INTERNAL events. */
  INTERNAL: number;
}

/**
 * A Lamport node. Call {@linkcode Machine.start} once, {@linkcode Machine.tick} at its rate,
 * {@linkcode Machine.enqueue} when a message arrives, {@linkcode Machine.end} once.
 *
 * @example
 * ```ts
 * import { Machine } from "./machine.ts";
 * import { Prng } from "./prng.ts";
 * const events: unknown[] = [];
 * const m = new Machine({
 *   id: 1, peers: [], now: () => 0, random: new Prng(1), log: (e) => events.push(e),
 *   transport: { send() {}, peerId: () => null },
 * });
 * m.start();
 * m.enqueue({ from: 2, seq: 1, clock: 10, arrivedMs: 0 });
 * m.tick(); // RECEIVE: clock 0 -> 11
 * m.end();
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
  #queue: Incoming[] = [];
  #head = 0;
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
    return this.#queue.length - this.#head;
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
      seed: this.#o.seed ?? 0,
      die_sides: this.dieSides,
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
    const msg = this.#queue[this.#head];
    if (msg === undefined) throw new Error(`Cannot receive: machine ${this.id} has an empty queue`);
    const step = this.#clock.receive(msg.clock);
    this.#queue[this.#head++] = undefined as unknown as Incoming;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
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

  /** Logs END with the final clock and every message still queued. Only once. */
  end(): void {
    if (this.#state === "ended") return;
    this.#state = "ended";
    const queued: QueuedMessage[] = [];
    for (let i = this.#head; i < this.#queue.length; i++) {
      const m = this.#queue[i];
      queued.push({ from: m.from, seq: m.seq, clock: m.clock });
    }
    this.#o.log({
      ...this.#base("END"),
      final_clock: this.clock,
      queued: queued.length,
      queued_msgs: queued,
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

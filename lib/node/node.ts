/**
 * Runs one node for real: TCP transport, buffered log file, drift-free ticking in wall
 * time, and a clean shutdown (drain, UNDELIVERED for what is left, END) on deadline,
 * signal or `stop()`.
 *
 * @module
 */
import { LogWriter } from "../io/log_writer.ts";
import { Machine } from "../core/machine.ts";
import type { PeerAddress } from "../core/peers.ts";
import { Prng } from "../core/prng.ts";
import { TickSchedule } from "../core/schedule.ts";
import { TcpTransport } from "./tcp_transport.ts";

/** Options of {@linkcode startNode}. */
export interface NodeOptions {
  /** Machine id. */
  id: number;
  /** TCP port to listen on (0 = any free port). */
  port: number;
  /** Peers, in die order. */
  peers: PeerAddress[];
  /** Log file path (created/truncated only after the listener is up). */
  log: string;
  /** Seconds to tick, counted from the start instant. */
  duration: number;
  /** Listen address; default `0.0.0.0`. */
  bind?: string;
  /** PRNG seed: the same seed reproduces the node's choices. */
  seed: number;
  /** Fixed clock rate (ticks/s); default random in `rateRange`. */
  rate?: number;
  /** Range of the random integer rate; default `[1, 6]`. */
  rateRange?: [number, number];
  /** Sides of the action die; default 10. */
  dieSides?: number;
  /** Start instant (ms since epoch); default: as soon as started. */
  startAt?: number;
  /** Wait for acks of in-flight messages at shutdown (ms); default 300. */
  drainMs?: number;
  /** Connect and hello timeout per attempt (ms); default 2000. */
  connectTimeoutMs?: number;
  /** Frames held per outbound link; default 10000. */
  maxQueue?: number;
  /** Log flush interval (ms); default 100. */
  flushMs?: number;
}

/** A live snapshot of a node. */
export interface NodeStatus {
  /** Machine id. */
  id: number;
  /** Current Lamport clock. */
  clock: number;
  /** Messages waiting in the receive queue. */
  queue: number;
  /** SEND + RECEIVE + INTERNAL events so far. */
  events: number;
  /** Outbound links up. */
  links_up: number;
  /** Outbound links in all. */
  links: number;
}

/** Inbound links count as quiet after this long without a message (at shutdown). */
const QUIET_MS = 50;

/** Wall-clock time in fractional ms since the Unix epoch. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * A running node. Ticks start at `startAt` (or {@linkcode RunningNode.begin}'s argument) and
 * stop at start + duration, on {@linkcode RunningNode.stop}, or on SIGINT/SIGTERM when
 * `handleSignals()` was called.
 *
 * @example
 * ```ts ignore
 * import { startNode } from "./node.ts";
 * const node = startNode({ id: 1, port: 0, peers: [], log: "/tmp/m1.log", duration: 1, seed: 1 });
 * node.begin();
 * await node.finished;
 * ```
 */
export class RunningNode {
  /** The node's Machine. */
  readonly machine: Machine;
  /** The node's TCP transport. */
  readonly transport: TcpTransport;
  /** Resolves after END was written and everything is closed. */
  readonly finished: Promise<void>;
  #o: NodeOptions;
  #log: LogWriter;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stop!: () => void;
  #stopped = false;
  #started = false;
  #stopRequested: Promise<void>;
  #linked: Promise<void>;
  #onLinked!: () => void;

  /** Use {@linkcode startNode}. */
  constructor(options: NodeOptions, transport: TcpTransport, log: LogWriter) {
    this.#o = options;
    this.transport = transport;
    this.#log = log;
    this.machine = new Machine({
      id: options.id,
      peers: options.peers,
      transport,
      now: wallNow,
      random: new Prng(options.seed),
      log: (e) => log.write(e),
      rate: options.rate,
      rateRange: options.rateRange,
      dieSides: options.dieSides,
      seed: options.seed,
      port: transport.port,
    });
    this.#stopRequested = new Promise((r) => (this.#stop = r));
    this.#linked = new Promise((r) => (this.#onLinked = r));
    this.machine.start();
    transport.start({
      report: (event, fields) => this.machine.report(event, fields),
      deliver: (m) => {
        if (this.machine.ended) return false;
        this.machine.enqueue(m);
        return true;
      },
      now: wallNow,
      onLinkChange: () => this.#checkLinked(),
    });
    this.#checkLinked();
    this.finished = this.#run();
    if (options.startAt !== undefined) this.begin(options.startAt);
  }

  /** Resolves once every outbound link is up (immediately with no peers). */
  get linked(): Promise<void> {
    return this.#linked;
  }

  /** A live snapshot. */
  status(): NodeStatus {
    const c = this.machine.counts;
    const links = this.transport.links;
    return {
      id: this.machine.id,
      clock: this.machine.clock,
      queue: this.machine.queueLength,
      events: c.SEND + c.RECEIVE + c.INTERNAL,
      links_up: links.up,
      links: links.total,
    };
  }

  /** Starts ticking at `at` (ms since epoch; default now). Only the first call counts. */
  begin(at: number = wallNow()): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    const end = at + this.#o.duration * 1000;
    const schedule = new TickSchedule({ start: at, rate: this.machine.rate, end });
    const step = () => {
      this.#timer = undefined;
      if (this.#stopped) return;
      const n = schedule.due(wallNow());
      for (let i = 0; i < n && !this.#stopped; i++) this.machine.tick();
      const next = schedule.nextAt();
      if (next === Infinity) {
        this.#timer = setTimeout(() => this.stop(), Math.max(0, end - wallNow()));
        return;
      }
      this.#timer = setTimeout(step, Math.max(0, next - wallNow()));
    };
    this.#timer = setTimeout(step, Math.max(0, at - wallNow()));
  }

  /** Stops ticking and shuts down (drain, UNDELIVERED, END, close). Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#stop();
  }

  /** SIGINT/SIGTERM stop the node (END is written). Returns a function that removes them. */
  handleSignals(): () => void {
    const handler = () => this.stop();
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    for (const s of signals) Deno.addSignalListener(s, handler);
    return () => signals.forEach((s) => Deno.removeSignalListener(s, handler));
  }

  #checkLinked(): void {
    const { up, total } = this.transport.links;
    if (up === total) this.#onLinked();
  }

  async #run(): Promise<void> {
    await this.#stopRequested;
    try {
      const drainMs = this.#o.drainMs ?? 300;
      const deadline = wallNow() + drainMs;
      await this.transport.closeOutbound({ drainMs });
      // Peers stopping at the same instant may still have frames in flight to us: take them
      // into the queue (listed in END) until inbound links are quiet, within the drain time.
      while (wallNow() < deadline && wallNow() - this.transport.lastMessageAt < QUIET_MS) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      this.machine.end(); // END even when draining failed
      this.#log.close();
      await this.transport.closeInbound();
    }
  }
}

/**
 * Listens (a taken port throws before the log file is touched), then opens the log, logs
 * STARTUP and links to the peers.
 *
 * @example
 * ```ts ignore
 * import { startNode } from "./node.ts";
 * const node = startNode({ id: 1, port: 5001, peers: [], log: "machine.log", duration: 5, seed: 7 });
 * node.begin();
 * await node.finished;
 * ```
 */
export function startNode(options: NodeOptions): RunningNode {
  const transport = TcpTransport.listen({
    id: options.id,
    peers: options.peers,
    bind: options.bind,
    port: options.port,
    connectTimeoutMs: options.connectTimeoutMs,
    maxQueue: options.maxQueue,
  });
  let log: LogWriter;
  try {
    log = LogWriter.open(options.log, { flushMs: options.flushMs ?? 100 });
  } catch (err) {
    transport.closeInbound();
    throw err;
  }
  try {
    return new RunningNode(options, transport, log);
  } catch (err) {
    log.close();
    transport.closeInbound();
    throw err;
  }
}

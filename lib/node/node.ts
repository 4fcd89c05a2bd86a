/**
 * Runs one node for real: TCP transport, buffered log file, drift-free ticking in wall
 * time, and one way out that always ends the log: on deadline, signal or `stop()` (drain,
 * UNDELIVERED for what is left, END), and on any unexpected error, a full disk or the clock
 * limit (the last-resort path: END with reason `"failed"`).
 *
 * @module
 */
import { LogWriter } from "../io/log_writer.ts";
import { Machine } from "../core/machine.ts";
import type { EndReason } from "../core/log_schema.ts";
import { Prng } from "../core/prng.ts";
import { TickSchedule } from "../core/schedule.ts";
import { errorMessage } from "../core/errors.ts";
import { TcpTransport } from "./tcp_transport.ts";
import { createLinkAuth } from "../auth/link_auth.ts";
import { type LimitedReporter, limitProtocolErrors } from "./reporter.ts";
import type { NodeEnd, NodeOptions, NodeStatus, NodeSummary } from "./node_options.ts";
import { onUncaught, wallNow } from "./process_events.ts";
import { onStopSignals } from "../io/stop_signals.ts";

export type { NodeEnd, NodeOptions, NodeStatus, NodeSummary };
export { wallNow };

/** Inbound links count as quiet after this long without a message (at shutdown). */
const QUIET_MS = 50;

/**
 * A running node. Ticks start at `startAt` (or {@linkcode RunningNode.begin}'s argument) and
 * stop at start + duration, on {@linkcode RunningNode.stop}, on SIGINT/SIGTERM when
 * `handleSignals()` was called, or on {@linkcode RunningNode.fail}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startNode } from "./node.ts";
 * const log = Deno.makeTempFileSync({ suffix: ".log" });
 * const node = startNode({
 *   id: 1, bind: "127.0.0.1", port: 0, peers: [], log, duration: 0.5, seed: 1, rate: 4,
 * });
 * node.begin();
 * assert.deepEqual(await node.finished, { reason: "completed", detail: "", logProblem: null });
 * assert.equal(node.machine.clock, 2); // 4 ticks/s × 0.5 s, all INTERNAL (no peers)
 * Deno.removeSync(log);
 * ```
 */
export class RunningNode {
  /** The node's Machine. */
  readonly machine: Machine;
  /** The node's TCP transport. */
  readonly transport: TcpTransport;
  /** Resolves after END was written and everything is closed, with how the node ended. */
  readonly finished: Promise<NodeEnd>;
  #o: NodeOptions;
  #log: LogWriter;
  #reporter: LimitedReporter;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #startedAt: number | null = null;
  #undelivered = 0;
  #end: { reason: EndReason; detail: string } | null = null;
  #stopRequested = Promise.withResolvers<void>();
  #linked = Promise.withResolvers<void>();

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
      session: transport.session,
      maxClockJump: options.maxClockJump,
    });
    this.#reporter = limitProtocolErrors((e, f) => {
      if (this.machine.report(e, f) && e === "UNDELIVERED") this.#undelivered++;
    }, { now: wallNow });
    this.machine.start();
    transport.start({
      report: this.#reporter.report,
      deliver: (m) => (this.machine.ended ? null : this.machine.admit(m)),
      queueLength: () => this.machine.queueLength,
      now: wallNow,
      onLinkChange: () => this.#checkLinked(),
      notice: options.onNotice,
    });
    this.#checkLinked();
    this.finished = this.#run();
    if (options.startAt !== undefined) this.begin(options.startAt);
  }

  /** Resolves once every outbound link is up (immediately with no peers). */
  get linked(): Promise<void> {
    return this.#linked.promise;
  }

  /** The start instant (ms since the Unix epoch) once ticking is scheduled, else `null`. */
  get startedAt(): number | null {
    return this.#startedAt;
  }

  /** Seconds the node ticks, counted from {@linkcode RunningNode.startedAt}. */
  get duration(): number {
    return this.#o.duration;
  }

  /** A live account of the node: its status, messages and links (for its status lines). */
  summary(): NodeSummary {
    const c = this.machine.counts;
    return {
      ...this.status(),
      sent: this.transport.sent,
      received: c.RECEIVE,
      internal: c.INTERNAL,
      undelivered: this.#undelivered,
      peers: this.transport.linkStates(),
    };
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

  /** With `holdLinks`: starts linking to the peers now (no-op otherwise, and once started). */
  link(): void {
    this.transport.link();
  }

  /**
   * Starts ticking at `at` (ms since epoch; default now), linking first if it was held. Only
   * the first call counts.
   */
  begin(at: number = wallNow()): void {
    if (this.#startedAt !== null || this.#stopped) return;
    this.link();
    this.#startedAt = at;
    const end = at + this.#o.duration * 1000;
    const schedule = new TickSchedule({ start: at, rate: this.machine.rate, end });
    const step = () => {
      this.#timer = undefined;
      if (this.#stopped) return;
      try {
        this.#reporter.flush();
        const n = schedule.due(wallNow());
        for (let i = 0; i < n && !this.#stopped; i++) {
          if (!this.machine.canTick) {
            return this.fail(
              new RangeError(
                `Cannot advance the clock past 2^53 - 1: current value is ${this.machine.clock} ` +
                  `(the clock limit)`,
              ),
            );
          }
          this.machine.tick();
        }
      } catch (err) {
        return this.fail(err);
      }
      const next = schedule.nextAt();
      if (next === Infinity) {
        this.#timer = setTimeout(() => this.#finish("completed", ""), Math.max(0, end - wallNow()));
        return;
      }
      this.#timer = setTimeout(step, Math.max(0, next - wallNow()));
    };
    this.#timer = setTimeout(step, Math.max(0, at - wallNow()));
  }

  /**
   * Stops ticking and shuts down (drain, UNDELIVERED, END with reason `"stopped"` and
   * `detail`, close). Idempotent.
   */
  stop(detail = "stopped by request"): void {
    this.#finish("stopped", detail);
  }

  /**
   * The last-resort path: stops ticking at once, logs every message not acknowledged as
   * UNDELIVERED and writes END with reason `"failed"` and the error's message. Also after a
   * stop, as long as END is not written yet.
   */
  fail(err: unknown): void {
    if (this.machine.ended) return;
    if (this.#end?.reason !== "failed") this.#end = { reason: "failed", detail: errorMessage(err) };
    this.#finish("failed", this.#end.detail);
  }

  /** SIGINT/SIGTERM stop the node (END is written). Returns a function that removes them. */
  handleSignals(): () => void {
    return onStopSignals((s) => this.stop(s));
  }

  /**
   * Any error nothing else caught (an uncaught exception or unhandled rejection anywhere in
   * the process) takes the last-resort path instead of killing the process without END.
   * Returns a function that removes the handlers.
   */
  handleUncaught(): () => void {
    return onUncaught((err) => this.fail(err));
  }

  #finish(reason: EndReason, detail: string): void {
    this.#end ??= { reason, detail };
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#stopRequested.resolve();
  }

  #checkLinked(): void {
    const { up, total } = this.transport.links;
    if (up === total) this.#linked.resolve();
  }

  async #run(): Promise<NodeEnd> {
    await this.#stopRequested.promise;
    try {
      const drainMs = this.#end?.reason === "failed" ? 0 : this.#o.drainMs ?? 300;
      const deadline = wallNow() + drainMs;
      await this.transport.closeOutbound({ drainMs });
      // Peers stopping at the same instant may still have frames in flight to us: take them
      // into the queue (listed in END) until inbound links are quiet, within the drain time.
      while (wallNow() < deadline && wallNow() - this.transport.lastMessageAt < QUIET_MS) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.#reporter.flush({ force: true });
      const end = this.#end ?? { reason: "completed", detail: "" };
      this.machine.end(end); // END even when draining failed
      this.#log.close();
      await this.transport.closeInbound();
    }
    return { ...this.#end!, logProblem: this.#log.problem };
  }
}

/**
 * Listens (a taken port throws before the log file is touched), then opens the log, logs
 * STARTUP and links to the peers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startNode } from "./node.ts";
 * const log = Deno.makeTempFileSync({ suffix: ".log" });
 * const node = startNode({ id: 1, bind: "127.0.0.1", port: 0, peers: [], log, duration: 0.3, seed: 7 });
 * assert.ok(node.transport.port > 0); // listening before the start
 * node.begin();
 * await node.finished;
 * const lines = Deno.readTextFileSync(log).trim().split("\n").map((l) => JSON.parse(l));
 * assert.equal(lines[0].event, "STARTUP");
 * assert.equal(lines.at(-1).event, "END");
 * Deno.removeSync(log);
 * ```
 */
export function startNode(options: NodeOptions): RunningNode {
  const transport = TcpTransport.listen({
    id: options.id,
    peers: options.peers,
    bind: options.bind,
    port: options.port,
    session: options.session,
    connectTimeoutMs: options.connectTimeoutMs,
    maxQueue: options.maxQueue,
    holdLinks: options.holdLinks,
    maxInbound: options.maxInbound,
    limits: {
      helloTimeoutMs: options.helloTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      maxReceiveQueue: options.maxReceiveQueue,
    },
    auth: options.secret ? createLinkAuth(options.secret) : null,
    allowLegacy: options.allowLegacy,
  });
  let log: LogWriter;
  let node: RunningNode | null = null;
  try {
    log = LogWriter.open(options.log, {
      flushMs: options.flushMs ?? 100,
      reserveBytes: options.reserveBytes ?? 16384,
      onError: (err) => node?.fail(err),
    });
  } catch (err) {
    transport.closeInbound();
    throw err;
  }
  try {
    node = new RunningNode(options, transport, log);
    return node;
  } catch (err) {
    log.close();
    transport.closeInbound();
    throw err;
  }
}

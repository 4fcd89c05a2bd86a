/**
 * Virtual-time simulation: the same {@linkcode Machine} code as a real node, for every node
 * of a cluster, in one process. A virtual clock (starting at the run's start instant) jumps
 * from event to event of a (time, seq) agenda: ticks of each node at the drift-free instants
 * of `TickSchedule` (tick k at `start + k * 1000 / rate`, before the end), and message deliveries after a delay drawn from a small range by
 * a seeded PRNG. No sockets, no waiting; the same seed and start give byte-identical logs.
 *
 * At END (all nodes end at the same virtual instant), a message still in flight — sent but
 * its delivery time not reached — is logged `UNDELIVERED` by its sender with reason
 * `"in flight at END"`, before the sender's END, so every message is accounted for.
 *
 * @module
 */
import { LogWriter } from "../io/log_writer.ts";
import type { LogEvent } from "../core/log_schema.ts";
import { Machine } from "../core/machine.ts";
import { MemoryTransport } from "./memory_transport.ts";
import { formatPeer, type PeerAddress } from "../core/peers.ts";
import { deriveSession, Prng } from "../core/prng.ts";
import { EventQueue } from "./simulation_queue.ts";
import type { MsgFrame } from "../core/wire.ts";

/** One simulated node (the same fields as a planned real node). */
export interface SimNode {
  /** Machine id. */
  id: number;
  /** TCP port the node listens on. */
  port: number;
  /** Other nodes' addresses (matched to nodes by port), in die order. */
  peers: PeerAddress[];
  /** Log file path. */
  log: string;
  /** PRNG seed of the node. */
  seed: number;
}

/** Options of {@linkcode runSimulation}. */
export interface SimulationOptions {
  /** Virtual seconds every node ticks. */
  duration: number;
  /** Virtual start instant (ms since the Unix epoch): `system_time` of STARTUP. */
  startMs: number;
  /** Seed of the network's delay PRNG. */
  networkSeed: number;
  /** Message delay range in ms; default [1, 5]. */
  delayMs?: [number, number];
  /** Fixed clock rate of every node (ticks/s); default random in `rateRange`. */
  rate?: number;
  /** Range of the random integer rate; default `[1, 6]`. */
  rateRange?: [number, number];
  /** Sides of the action die; default 10. */
  dieSides?: number;
  /** Where each node's events go; default a {@linkcode LogWriter} on the node's `log` path. */
  sink?: (node: SimNode) => { write(event: LogEvent): void; close(): void };
  /** Stops the run early (e.g. on Ctrl-C): every node ends at the virtual time reached. */
  signal?: AbortSignal;
}

/** What a simulation did. */
export interface SimulationResult {
  /** Final clock per node, in node order. */
  finalClocks: number[];
  /** Clock rate per node, in node order. */
  rates: number[];
  /** Log lines written, all nodes. */
  events: number;
  /** Messages (per recipient) delivered into a receive queue. */
  delivered: number;
  /** Messages (per recipient) logged UNDELIVERED as in flight at END. */
  inFlightAtEnd: number;
  /** The run was stopped early by `signal`; END is at this virtual time (ms since the epoch). */
  stoppedAt: number | null;
}

/** Agenda events between two chances for the event loop (and a Ctrl-C) to run. */
const YIELD_EVERY = 1 << 18;

type Agenda = { tick: number; k: number } | {
  to: number;
  from: number;
  frame: MsgFrame;
  sentAt: number;
};

/**
 * Runs `nodes` for `options.duration` virtual seconds and writes their logs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSimulation } from "./simulation.ts";
 * const dir = Deno.makeTempDirSync();
 * const r = await runSimulation([
 *   { id: 1, port: 5001, peers: [{ host: "127.0.0.1", port: 5002 }], log: `${dir}/m1.log`, seed: 1 },
 *   { id: 2, port: 5002, peers: [{ host: "127.0.0.1", port: 5001 }], log: `${dir}/m2.log`, seed: 2 },
 * ], { duration: 60, startMs: 0, networkSeed: 3 });
 * assert.equal(r.finalClocks.length, 2);
 * assert.equal(r.stoppedAt, null);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function runSimulation(
  nodes: SimNode[],
  options: SimulationOptions,
): Promise<SimulationResult> {
  const [dMin, dMax] = options.delayMs ?? [1, 5];
  if (!(dMin >= 0 && dMax >= dMin && Number.isFinite(dMax))) {
    throw new RangeError(
      `Cannot simulate delays as they must be finite with 0 <= min <= max: current range is ` +
        `${dMin}..${dMax} ms`,
    );
  }
  if (!(options.duration >= 0 && Number.isFinite(options.duration))) {
    throw new RangeError(
      `Cannot simulate as the duration must be finite and >= 0: current duration is ` +
        `${options.duration} s`,
    );
  }
  const byPort = new Map(nodes.map((n, i) => [n.port, i]));
  const ids = nodes.map((n) => n.id);
  const sessions = nodes.map((n) => deriveSession(n.seed));
  const agenda = new EventQueue<Agenda>();
  const net = new Prng(options.networkSeed);
  const endAt = options.duration * 1000;
  let now = 0;
  const clock = () => options.startMs + now;
  let delivered = 0, inFlight = 0, events = 0, stopped = false;

  const post = (from: number, to: number, frame: MsgFrame) => {
    agenda.push(now + dMin + net.next() * (dMax - dMin), { to, from, frame, sentAt: now });
  };
  const sinks = nodes.map((n) =>
    options.sink?.(n) ?? LogWriter.open(n.log, { flushMs: 0, maxBuffer: 1 << 18 })
  );
  const machines: Machine[] = [];
  const periods: number[] = [];
  try {
    nodes.forEach((n, i) => {
      const peers = n.peers.map((p) => {
        const idx = byPort.get(p.port);
        if (idx === undefined) {
          throw new RangeError(
            `Cannot simulate node ${n.id}: current peer is ${
              formatPeer(p)
            } (no node has that port)`,
          );
        }
        return idx;
      });
      const sink = sinks[i];
      const m = new Machine({
        id: n.id,
        peers: n.peers,
        transport: new MemoryTransport({ self: i, peers, ids, post }),
        now: clock,
        random: new Prng(n.seed),
        log: (e) => {
          events++;
          sink.write(e);
        },
        rate: options.rate,
        rateRange: options.rateRange,
        dieSides: options.dieSides,
        seed: n.seed,
        port: n.port,
        session: sessions[i],
      });
      machines.push(m);
      periods.push(1000 / m.rate);
    });
    machines.forEach((m) => m.start());
    // Tick k of node i at k * 1000 / rate ms from the start, while before the end: the
    // formula of TickSchedule.nextAt, evaluated exactly once per tick.
    for (let i = 0; i < machines.length; i++) if (endAt > 0) agenda.push(0, { tick: i, k: 0 });
    /** Runs up to `budget` agenda events; true once the agenda reached the end. */
    const advance = (budget: number): boolean => {
      const q = agenda, ms = machines, ps = periods, end = endAt; // locals: no context loads
      for (;;) {
        if (--budget < 0) return false;
        const next = q.peek();
        if (next === undefined || next.time >= end) return true;
        q.pop();
        now = next.time;
        const item = next.item;
        if ("tick" in item) {
          const m = ms[item.tick], period = ps[item.tick];
          let k = item.k;
          m.tick();
          // Further ticks of this node strictly before everything else on the agenda run
          // right away (the order a push and pop would give, without the heap work).
          let at = ++k * period;
          while (at < end && at < (q.peek()?.time ?? end) && --budget > 0) {
            now = at;
            m.tick();
            at = ++k * period;
          }
          if (at < end) q.push(at, { tick: item.tick, k });
        } else {
          ms[item.to].enqueue({
            from: item.frame.from,
            seq: item.frame.seq,
            clock: item.frame.clock,
            arrivedMs: clock(),
            session: sessions[item.from],
          });
          delivered++;
        }
      }
    };
    // Between chunks the event loop runs, so a Ctrl-C listener can abort the run.
    while (!advance(YIELD_EVERY)) {
      await new Promise((r) => setTimeout(r, 0));
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
    }
    if (!stopped) now = endAt;
    const left = agenda.drain().filter((e) => !("tick" in e.item)).sort((a, b) => a.seq - b.seq);
    for (let i = 0; i < machines.length; i++) {
      for (const e of left) {
        const item = e.item as Extract<Agenda, { to: number }>;
        if (item.from !== i) continue;
        inFlight++;
        machines[i].report("UNDELIVERED", {
          peer: formatPeer(
            nodes[i].peers[nodes[i].peers.findIndex((p) => p.port === nodes[item.to].port)],
          ),
          to: ids[item.to],
          seq: item.frame.seq,
          clock: item.frame.clock,
          reason: "in flight at END",
        });
      }
      machines[i].end(
        stopped ? { reason: "stopped", detail: "simulation stopped early" } : undefined,
      );
    }
  } finally {
    for (const s of sinks) s.close();
  }
  return {
    finalClocks: machines.map((m) => m.clock),
    rates: machines.map((m) => m.rate),
    events,
    delivered,
    inFlightAtEnd: inFlight,
    stoppedAt: stopped ? clock() : null,
  };
}

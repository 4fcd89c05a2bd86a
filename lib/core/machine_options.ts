/**
 * What a `Machine` is given and reports: its options, its transport, its counts.
 *
 * @module
 */
import type { EndReason } from "./log_schema.ts";
import type { PeerAddress } from "./peers.ts";
import type { RandomSource } from "./prng.ts";
import type { LogEvent } from "./log_schema.ts";
import type { MsgFrame } from "./wire.ts";

/** Delivers messages to peers (TCP, in-memory, or a test fake). */
export interface Transport {
  /** Hands `frame` over for delivery to peer number `peer` (index into the peer list). */
  send(peer: number, frame: MsgFrame): void;
  /** The peer's machine id once known (after its hello), else `null`. */
  peerId(peer: number): number | null;
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
  /** Seed shown in STARTUP (the seed `random` was made from); default `random.seed`, else 0. */
  seed?: number;
  /** Listening port shown in STARTUP. */
  port?: number;
  /** This incarnation's session shown in STARTUP (0..2^53 - 1); default 0. */
  session?: number;
  /**
   * `Machine.admit` refuses a clock more than this far ahead of the local clock;
   * default `DEFAULT_MAX_CLOCK_JUMP` (10^9); 0 = no limit.
   */
  maxClockJump?: number;
}

/** How `Machine.end` ends the log. */
export interface EndOptions {
  /** Default `"completed"`. */
  reason?: EndReason;
  /** Default `""`. */
  detail?: string;
}

/** Events a transport reports through `Machine.report`. */
export type ReportEvent =
  | "UNDELIVERED"
  | "UNCONFIRMED"
  | "LEGACY_PEER"
  | "LINK_UP"
  | "LINK_DOWN"
  | "PROTOCOL_ERROR";

/** Counts of logged events by kind. */
export interface MachineCounts {
  /** SEND events. */
  SEND: number;
  /** RECEIVE events. */
  RECEIVE: number;
  /** INTERNAL events. */
  INTERNAL: number;
}

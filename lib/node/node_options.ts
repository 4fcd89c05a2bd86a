/**
 * What a node is given ({@linkcode NodeOptions}) and what it reports about itself.
 *
 * @module
 */
import type { EndReason } from "../core/log_schema.ts";
import type { PeerAddress } from "../core/peers.ts";
import type { LinkState } from "./tcp_transport.ts";

/** Options of `startNode`. */
export interface NodeOptions {
  /** Machine id. */
  id: number;
  /** TCP port to listen on (0 = any free port). */
  port: number;
  /** Peers, in die order; with ids (`2@host:port`) hellos must name them. */
  peers: PeerAddress[];
  /** Log file path (created/truncated only after the listener is up). */
  log: string;
  /** Seconds to tick, counted from the start instant. */
  duration: number;
  /** Listen address; default `127.0.0.1`. */
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
  /**
   * Listen at once but connect to the peers only on `link()` (or `begin()`): a cluster on one
   * host lets every node start before any links (default false).
   */
  holdLinks?: boolean;
  /** Log flush interval (ms); default 100. */
  flushMs?: number;
  /** Bytes set aside for the log's last lines when the disk fills up; default 16384. */
  reserveBytes?: number;
  /** Session of this incarnation (0..2^53 - 1); default random. */
  session?: number;
  /** Refuse received clocks more than this far ahead (0 = no limit); default 10^9. */
  maxClockJump?: number;
  /** Inbound connections open at once; default 256 (4 per peer beyond 64 peers). */
  maxInbound?: number;
  /** An inbound connection must say hello within this long (ms); default 5000. */
  helloTimeoutMs?: number;
  /** An inbound link without a frame for this long is closed (ms; 0 = never); default 30000. */
  idleTimeoutMs?: number;
  /** Reading pauses while the receive queue holds this many messages; default 100000. */
  maxReceiveQueue?: number;
  /**
   * Shared secret (already checked with `checkSecret`): links authenticate with it and every
   * frame carries a MAC (see `lib/auth/`); default none.
   */
  secret?: Uint8Array;
  /**
   * Accept bare-integer (original format) lines, and link to `legacy` peers with a `secret`;
   * default: only without `secret`.
   */
  allowLegacy?: boolean;
  /** One line for the user (stderr): a peer switched to the legacy protocol, or could not be. */
  onNotice?: (text: string) => void;
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

/** A node's live account: its status plus messages and links (see `RunningNode.summary`). */
export interface NodeSummary extends NodeStatus {
  /** Messages handed to the links (one per recipient of each SEND). */
  sent: number;
  /** Messages processed (RECEIVE events); those still queued are in `queue`. */
  received: number;
  /** INTERNAL events. */
  internal: number;
  /** Messages logged UNDELIVERED. */
  undelivered: number;
  /** Each outbound link: the peer, up now, ever up. */
  peers: LinkState[];
}

/** How a node ended (what its END says), once it did. */
export interface NodeEnd {
  /** END's `reason`. */
  reason: EndReason;
  /** END's `detail`. */
  detail: string;
  /** What could not be written to the log (a full disk), in one line; else `null`. */
  logProblem: string | null;
}

/**
 * The JSON-lines log schema written by every node.
 *
 * Each line is one event. The first keys are the original Python project's, in its
 * order (`event`, `system_time`, `machine_id`, then the event's own keys); the keys
 * this project adds come after them, so tools written for the original still work.
 *
 * | event            | original keys                          | added keys (in order)                                        |
 * | ---------------- | -------------------------------------- | ------------------------------------------------------------ |
 * | `STARTUP`        | `clock_rate`                           | `port`, `peers`, `seed`, `die_sides`, `session`              |
 * | `SEND`           | `old_clock`, `new_clock`, `recipients` | `to`, `seq`                                                  |
 * | `RECEIVE`        | `old_clock`, `new_clock`, `queue_len`  | `from`, `seq`, `msg_clock`, `arrival_time`, `from_session`   |
 * | `INTERNAL`       | `old_clock`, `new_clock`               |                                                              |
 * | `END`            | `final_clock`                          | `queued`, `queued_msgs`, `reason`, `detail`                  |
 * | `UNDELIVERED`    | (added event)                          | `peer`, `to`, `seq`, `clock`, `reason`                       |
 * | `UNCONFIRMED`    | (added event)                          | `peer`, `to`, `seq`, `clock`, `reason`                       |
 * | `LEGACY_PEER`    | (added event)                          | `peer`, `peer_id`, `reason`                                  |
 * | `LINK_UP`        | (added event)                          | `peer`, `peer_id`, `direction`                               |
 * | `LINK_DOWN`      | (added event)                          | `peer`, `peer_id`, `direction`, `reason`                     |
 * | `PROTOCOL_ERROR` | (added event)                          | `peer`, `reason`, then optional `from`, `from_session`, `seq`, `clock`, `suppressed` |
 *
 * @module
 */

/** The events a node logs. */
export type EventName =
  | "STARTUP"
  | "SEND"
  | "RECEIVE"
  | "INTERNAL"
  | "END"
  | "UNDELIVERED"
  | "UNCONFIRMED"
  | "LEGACY_PEER"
  | "LINK_UP"
  | "LINK_DOWN"
  | "PROTOCOL_ERROR";

/** Keys every event starts with, in this order. */
export interface EventBase {
  /** Which event. */
  event: EventName;
  /** Wall-clock seconds since the Unix epoch (fractional), as Python's `time.time()`. */
  system_time: number;
  /** The node's id. */
  machine_id: number;
}

/** First event of a log. */
export interface StartupEvent extends EventBase {
  /** Which event. */
  event: "STARTUP";
  /** Ticks per second. */
  clock_rate: number;
  /** TCP port the node listens on (0 in simulation when none). */
  port: number;
  /** Peer addresses as given (`host:port`, IPv6 as `[::1]:5002`). */
  peers: string[];
  /** Seed of the node's PRNG; the same seed reproduces its choices. */
  seed: number;
  /** Sides of the action die (the original: 10). */
  die_sides: number;
  /**
   * The node's incarnation: random 0..2^53 - 1 per process (derived from the seed in a
   * simulation); the same value the node sends in its hello.
   */
  session: number;
}

/** One SEND event, even when the message goes to several peers. */
export interface SendEvent extends EventBase {
  /** Which event. */
  event: "SEND";
  /** Clock before the event. */
  old_clock: number;
  /** Clock after the event. */
  new_clock: number;
  /** Recipient addresses as `[host, port]` pairs (the original's form). */
  recipients: [string, number][];
  /** Recipient machine ids, same order as `recipients`; `null` when not known yet. */
  to: (number | null)[];
  /** Per-sender message sequence number, 1, 2, 3, ... One per SEND event. */
  seq: number;
}

/** Processing of one message taken from the receive queue. */
export interface ReceiveEvent extends EventBase {
  /** Which event. */
  event: "RECEIVE";
  /** Clock before the event. */
  old_clock: number;
  /** Clock after the event. */
  new_clock: number;
  /** Queue length after this message was taken off it. */
  queue_len: number;
  /** Sender id; `null` for a bare-integer (original format) message. */
  from: number | null;
  /** Sender's `seq`; `null` for a bare-integer message. */
  seq: number | null;
  /** Clock value carried by the message. */
  msg_clock: number;
  /** `system_time` at which the message arrived (was queued). */
  arrival_time: number;
  /** The sender's session (from its hello on that link); `null` for a bare-integer message. */
  from_session: number | null;
}

/** A local event. */
export interface InternalEvent extends EventBase {
  /** Which event. */
  event: "INTERNAL";
  /** Clock before the event. */
  old_clock: number;
  /** Clock after the event. */
  new_clock: number;
}

/** A message still waiting in the receive queue at END. */
export interface QueuedMessage {
  /** Sender id; `null` for a bare-integer (original format) message. */
  from: number | null;
  /** Sender's sequence number of the message; `null` for a bare-integer message. */
  seq: number | null;
  /** Clock value the message carries. */
  clock: number;
  /** The sender's session; `null` for a bare-integer message. */
  session: number | null;
}

/**
 * How a node ended: `"completed"` (ran its whole duration), `"stopped"` (stopped early on
 * request: signal, parent, `stop()`; the log is complete), `"failed"` (an unexpected error, a
 * full disk, the clock limit: the node ended on its last-resort path).
 */
export type EndReason = "completed" | "stopped" | "failed";

/** Last event of a log. */
export interface EndEvent extends EventBase {
  /** Which event. */
  event: "END";
  /** The clock at the end. */
  final_clock: number;
  /** Number of messages still in the receive queue. */
  queued: number;
  /** Those messages, oldest first. */
  queued_msgs: QueuedMessage[];
  /** How the node ended. */
  reason: EndReason;
  /** `""` when completed; else what stopped it (e.g. `"SIGINT"`, an error message). */
  detail: string;
}

/** A message the node could not deliver (or could not confirm delivery of) to one peer. */
export interface UndeliveredEvent extends EventBase {
  /** Which event. */
  event: "UNDELIVERED";
  /** Peer address `host:port`. */
  peer: string;
  /** Peer id when known. */
  to: number | null;
  /** Sequence number of the message (per sender). */
  seq: number;
  /** Clock value the message carries. */
  clock: number;
  /** Why, e.g. "outbound queue full", "peer never connected", "not acknowledged before END". */
  reason: string;
}

/**
 * A message written to a legacy (original, Python) peer on a connection of its own: the
 * original protocol has no acks, so whether the peer took it cannot be confirmed. The
 * analyzer accounts it as "unconfirmed (legacy peer)", never as delivered.
 */
export interface UnconfirmedEvent extends EventBase {
  /** Which event. */
  event: "UNCONFIRMED";
  /** Peer address `host:port`. */
  peer: string;
  /** Peer id when known (`legacy:3@host:port`), else `null`. */
  to: number | null;
  /** Sequence number of the message (per sender). */
  seq: number;
  /** Clock value the message carries (the bare integer written). */
  clock: number;
  /** Why it is unconfirmed, e.g. "legacy peer: no ack possible". */
  reason: string;
}

/**
 * From now on a peer is sent the original protocol (a bare integer per message, one
 * connection each, no hello, no acks): marked `legacy:` in `--peers` (or `"legacy": true` in a
 * cluster file), or switched to it because it accepted connections but never answered a
 * hello (only without a secret).
 */
export interface LegacyPeerEvent extends EventBase {
  /** Which event. */
  event: "LEGACY_PEER";
  /** Peer address `host:port`. */
  peer: string;
  /** Peer id when known, else `null`. */
  peer_id: number | null;
  /** Why, in words. */
  reason: string;
}

/** A link to or from a peer came up (after the hello exchange). */
export interface LinkUpEvent extends EventBase {
  /** Which event. */
  event: "LINK_UP";
  /** Peer address `host:port` (for inbound links the peer's source address). */
  peer: string;
  /** Peer machine id from its hello; `null` when not known. */
  peer_id: number | null;
  /** "out": we connected to the peer; "in": the peer connected to us. */
  direction: "out" | "in";
}

/** A link went down. */
export interface LinkDownEvent extends EventBase {
  /** Which event. */
  event: "LINK_DOWN";
  /** Peer address `host:port` (for inbound links the peer's source address). */
  peer: string;
  /** Peer machine id from its hello; `null` when not known. */
  peer_id: number | null;
  /** "out": we connected to the peer; "in": the peer connected to us. */
  direction: "out" | "in";
  /** Why, in words. */
  reason: string;
}

/**
 * A peer sent something that is not valid protocol, or a connection was refused. Unless the
 * refused frame was a message the receiver refused by its clock (then `from`, `from_session`,
 * `seq` and `clock` name it: it was acknowledged and never changed the clock), that
 * connection was closed. The node kept running.
 */
export interface ProtocolErrorEvent extends EventBase {
  /** Which event. */
  event: "PROTOCOL_ERROR";
  /** Peer address `host:port` (for inbound links the peer's source address). */
  peer: string;
  /** Why, in words. */
  reason: string;
  /** Sender of a refused message (its hello's id). */
  from?: number;
  /** Session of the sender of a refused message (from its hello). */
  from_session?: number | null;
  /** `seq` of a refused message. */
  seq?: number;
  /** Clock value of a refused message. */
  clock?: number;
  /** PROTOCOL_ERROR lines not written (rate limit) since the previous one; absent when 0. */
  suppressed?: number;
}

/** Any event of the schema. */
export type LogEvent =
  | StartupEvent
  | SendEvent
  | ReceiveEvent
  | InternalEvent
  | EndEvent
  | UndeliveredEvent
  | UnconfirmedEvent
  | LegacyPeerEvent
  | LinkUpEvent
  | LinkDownEvent
  | ProtocolErrorEvent;

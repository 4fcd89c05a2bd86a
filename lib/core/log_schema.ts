/**
 * The JSON-lines log schema written by every node.
 *
 * Each line is one event. The first keys are the original Python project's, in its
 * order (`event`, `system_time`, `machine_id`, then the event's own keys); the keys
 * this project adds come after them, so tools written for the original still work.
 *
 * | event          | original keys (in order)                         | added keys (in order)                       |
 * | -------------- | ------------------------------------------------ | ------------------------------------------- |
 * | `STARTUP`      | `clock_rate`                                     | `port`, `peers`, `seed`, `die_sides`        |
 * | `SEND`         | `old_clock`, `new_clock`, `recipients`           | `to`, `seq`                                 |
 * | `RECEIVE`      | `old_clock`, `new_clock`, `queue_len`            | `from`, `seq`, `msg_clock`, `arrival_time`  |
 * | `INTERNAL`     | `old_clock`, `new_clock`                         |                                             |
 * | `END`          | `final_clock`                                    | `queued`, `queued_msgs`                     |
 * | `UNDELIVERED`  | (added event)                                    | `peer`, `to`, `seq`, `clock`, `reason`      |
 * | `LINK_UP`      | (added event)                                    | `peer`, `peer_id`, `direction`              |
 * | `LINK_DOWN`    | (added event)                                    | `peer`, `peer_id`, `direction`, `reason`    |
 * | `PROTOCOL_ERROR` | (added event)                                  | `peer`, `reason`                            |
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
}

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

/** A peer sent something that is not valid protocol; its connection was closed. */
export interface ProtocolErrorEvent extends EventBase {
  /** Which event. */
  event: "PROTOCOL_ERROR";
  /** Peer address `host:port` (for inbound links the peer's source address). */
  peer: string;
  /** Why, in words. */
  reason: string;
}

/** Any event of the schema. */
export type LogEvent =
  | StartupEvent
  | SendEvent
  | ReceiveEvent
  | InternalEvent
  | EndEvent
  | UndeliveredEvent
  | LinkUpEvent
  | LinkDownEvent
  | ProtocolErrorEvent;

/**
 * Serialises one event as a log line in Python's `json.dumps` style (`", "` and `": "`
 * separators), keeping key order, with a trailing newline.
 *
 * @example
 * ```ts
 * import { formatEvent } from "./log_schema.ts";
 * formatEvent({ event: "INTERNAL", system_time: 1.5, machine_id: 1, old_clock: 0, new_clock: 1 });
 * // '{"event": "INTERNAL", "system_time": 1.5, "machine_id": 1, "old_clock": 0, "new_clock": 1}\n'
 * ```
 */
export function formatEvent(event: LogEvent): string {
  // Fast path for the per-tick events (byte-identical to the generic path): taken only when
  // the object has exactly the schema's keys, in order, with the schema's value types.
  switch (event.event) {
    case "INTERNAL":
      if (hasKeys(event, INTERNAL_KEYS) && nums5(event)) {
        return `{"event": "INTERNAL", "system_time": ${event.system_time}, "machine_id": ${event.machine_id}, "old_clock": ${event.old_clock}, "new_clock": ${event.new_clock}}\n`;
      }
      break;
    case "SEND": {
      if (!hasKeys(event, SEND_KEYS) || !nums5(event) || typeof event.seq !== "number") break;
      const r = recipientsJson(event.recipients), to = idsJson(event.to);
      if (r === null || to === null) break;
      return `{"event": "SEND", "system_time": ${event.system_time}, "machine_id": ${event.machine_id}, "old_clock": ${event.old_clock}, "new_clock": ${event.new_clock}, "recipients": ${r}, "to": ${to}, "seq": ${event.seq}}\n`;
    }
    case "RECEIVE":
      if (
        hasKeys(event, RECEIVE_KEYS) && nums5(event) && typeof event.queue_len === "number" &&
        numOrNull(event.from) && numOrNull(event.seq) && typeof event.msg_clock === "number" &&
        typeof event.arrival_time === "number"
      ) {
        return `{"event": "RECEIVE", "system_time": ${event.system_time}, "machine_id": ${event.machine_id}, "old_clock": ${event.old_clock}, "new_clock": ${event.new_clock}, "queue_len": ${event.queue_len}, "from": ${event.from}, "seq": ${event.seq}, "msg_clock": ${event.msg_clock}, "arrival_time": ${event.arrival_time}}\n`;
      }
      break;
  }
  return pyJson(event) + "\n";
}

const BASE_KEYS = ["event", "system_time", "machine_id", "old_clock", "new_clock"];
const INTERNAL_KEYS = BASE_KEYS;
const SEND_KEYS = [...BASE_KEYS, "recipients", "to", "seq"];
const RECEIVE_KEYS = [
  ...BASE_KEYS,
  ...["queue_len", "from", "seq", "msg_clock", "arrival_time"],
];

function hasKeys(event: object, keys: string[]): boolean {
  let i = 0;
  for (const k in event) {
    if (k !== keys[i++] || !Object.hasOwn(event, k)) return false;
  }
  return i === keys.length;
}

function nums5(
  e: { system_time: unknown; machine_id: unknown; old_clock: unknown; new_clock: unknown },
): boolean {
  return typeof e.system_time === "number" && typeof e.machine_id === "number" &&
    typeof e.old_clock === "number" && typeof e.new_clock === "number";
}

function numOrNull(v: unknown): boolean {
  return v === null || typeof v === "number";
}

const hostJson = new Map<string, string>();

function recipientsJson(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  let out = "[";
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (!Array.isArray(r) || r.length !== 2) return null;
    const [host, port] = r;
    if (typeof host !== "string" || typeof port !== "number") return null;
    let h = hostJson.get(host);
    if (h === undefined) {
      h = JSON.stringify(host);
      if (hostJson.size < 4096) hostJson.set(host, h);
    }
    out += (i === 0 ? "[" : ", [") + h + ", " + port + "]";
  }
  return out + "]";
}

function idsJson(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  let out = "[";
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!numOrNull(v)) return null;
    out += (i === 0 ? "" : ", ") + v;
  }
  return out + "]";
}

function pyJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(pyJson).join(", ") + "]";
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== undefined) parts.push(JSON.stringify(key) + ": " + pyJson(v));
  }
  return "{" + parts.join(", ") + "}";
}

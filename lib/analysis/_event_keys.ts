/**
 * The names of the schema's events and keys, as codes and bytes, for the line parser.
 *
 * @module
 */

/** Event codes, in the order of {@link EVENT_NAMES}. */
export const EV_STARTUP = 0, EV_SEND = 1, EV_RECEIVE = 2, EV_INTERNAL = 3, EV_END = 4;
/** Event codes of the events this project adds. */
export const EV_UNDELIVERED = 5, EV_LINK_UP = 6, EV_LINK_DOWN = 7, EV_PROTOCOL_ERROR = 8;
/** Event codes of the events of mixed clusters (messages to original Python nodes). */
export const EV_UNCONFIRMED = 9, EV_LEGACY_PEER = 10;
/** Event names by code. */
export const EVENT_NAMES = [
  "STARTUP",
  "SEND",
  "RECEIVE",
  "INTERNAL",
  "END",
  "UNDELIVERED",
  "LINK_UP",
  "LINK_DOWN",
  "PROTOCOL_ERROR",
  "UNCONFIRMED",
  "LEGACY_PEER",
] as const;

/** Keys of the schema, by index (bit `1 << index` in {@link EventLine.present}). */
export const KEYS = [
  "event",
  "system_time",
  "machine_id",
  "clock_rate",
  "old_clock",
  "new_clock",
  "recipients",
  "queue_len",
  "final_clock",
  "port",
  "peers",
  "seed",
  "die_sides",
  "to",
  "seq",
  "from",
  "msg_clock",
  "arrival_time",
  "queued",
  "queued_msgs",
  "peer",
  "peer_id",
  "direction",
  "reason",
  "clock",
  "session",
  "from_session",
  "detail",
  "suppressed",
] as const;
/**
 * Index of each key in {@link KEYS}, by name: `line.num[KEY.new_clock]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_NAMES, EV_RECEIVE, KEY, KEYS } from "./_event_keys.ts";
 * assert.equal(KEYS[KEY.new_clock], "new_clock");
 * assert.equal(EVENT_NAMES[EV_RECEIVE], "RECEIVE");
 * ```
 */
export const KEY = Object.fromEntries(KEYS.map((k, i) => [k, i])) as Record<
  typeof KEYS[number],
  number
>;

const enc = new TextEncoder();
/** Key names as bytes. */
export const KEY_BYTES = KEYS.map((k) => enc.encode(k));
/** Event names as bytes. */
export const EVENT_BYTES = EVENT_NAMES.map((k) => enc.encode(k));
/** Value kinds by key: 1 integer, 2 number, 3 integer or null, 4 string, 5 array. */
export const KIND_OF = new Uint8Array(KEYS.length).fill(1);
for (const k of [KEY.system_time, KEY.arrival_time]) KIND_OF[k] = 2;
for (const k of [KEY.from, KEY.seq, KEY.peer_id, KEY.to, KEY.from_session]) KIND_OF[k] = 3;
for (const k of [KEY.event, KEY.peer, KEY.direction, KEY.reason, KEY.detail]) KIND_OF[k] = 4;
for (const k of [KEY.recipients, KEY.peers, KEY.queued_msgs]) KIND_OF[k] = 5;
/** Key index + 1 by (length, first byte, last byte): a perfect hash of the schema's keys. */
export const KEY_HASH = new Int8Array(32 << 14);
KEY_BYTES.forEach((b, k) => {
  const h = (b.length << 14) | (b[0] << 7) | b[b.length - 1];
  if (KEY_HASH[h] !== 0 || KEYS.length > 31) {
    throw new Error(`Cannot index log key "${KEYS[k]}": its hash is taken or there are > 31 keys`);
  }
  KEY_HASH[h] = k + 1;
});

/**
 * Which keys each event must carry, in the original Python schema and in ours
 * (`lib/log_schema.ts`), and the check of one parsed line against them.
 *
 * @module
 */
import {
  EV_END,
  EV_PROTOCOL_ERROR,
  EV_RECEIVE,
  EV_SEND,
  EVENT_NAMES,
  EventLine,
  KEY,
  KEYS,
  QUEUED_FIELDS,
} from "./_event_line.ts";

function mask(...keys: number[]) {
  return keys.reduce((m, k) => m | (1 << k), 0);
}
const BASE = mask(KEY.event, KEY.system_time, KEY.machine_id);

/** Keys every event needs in the original schema (added events: all their keys). */
const ORIGINAL: number[] = [
  mask(KEY.clock_rate),
  mask(KEY.old_clock, KEY.new_clock, KEY.recipients),
  mask(KEY.old_clock, KEY.new_clock, KEY.queue_len),
  mask(KEY.old_clock, KEY.new_clock),
  mask(KEY.final_clock),
  mask(KEY.peer, KEY.to, KEY.seq, KEY.clock, KEY.reason),
  mask(KEY.peer, KEY.peer_id, KEY.direction),
  mask(KEY.peer, KEY.peer_id, KEY.direction, KEY.reason),
  mask(KEY.peer, KEY.reason),
  mask(KEY.peer, KEY.to, KEY.seq, KEY.clock, KEY.reason),
  mask(KEY.peer, KEY.peer_id, KEY.reason),
];

/** Keys our schema adds to the original events. */
const ADDED: number[] = [
  mask(KEY.port, KEY.peers, KEY.seed, KEY.die_sides),
  mask(KEY.to, KEY.seq),
  mask(KEY.from, KEY.seq, KEY.msg_clock, KEY.arrival_time),
  0,
  mask(KEY.queued, KEY.queued_msgs),
  0,
  0,
  0,
  0,
  0,
  0,
];

const NULLABLE = [KEY.from, KEY.seq, KEY.peer_id, KEY.to, KEY.from_session];

/** Keys whose value may be `null`, by event (all others must be non-null). */
const NULL_OK: number[] = [
  0,
  0,
  mask(KEY.from, KEY.seq, KEY.from_session),
  0,
  0,
  mask(KEY.to),
  mask(KEY.peer_id),
  mask(KEY.peer_id),
  mask(KEY.from_session),
  mask(KEY.to),
  mask(KEY.peer_id),
];

/** The refused message's id on a PROTOCOL_ERROR: all or none of these (`from_session` optional). */
const REJECTED = mask(KEY.from, KEY.seq, KEY.clock);

/** END `reason` values (`SCHEMA_ADDITIONS.md`). */
export const END_REASONS = ["completed", "stopped", "failed"] as const;

/** Largest integer a log value can hold exactly (2^53 − 1). */
const MAX_INT = Number.MAX_SAFE_INTEGER;

/** Keys in 0..2^53-1 when present and not null (`seq` is checked on its own: 1..2^53-1). */
const FROM_ZERO = [KEY.session, KEY.from_session, KEY.suppressed];
const FROM_ZERO_MASK = mask(...FROM_ZERO);
const SEQ_MASK = mask(KEY.seq);

/** The first integer out of its range (`seq` < 1, a session above 2^53 − 1, ...), or "". */
function rangeError(line: EventLine, name: string): string {
  if ((line.present & SEQ_MASK) !== 0) {
    const v = line.num[KEY.seq];
    if (!(v >= 1 && v <= MAX_INT) && !Number.isNaN(v)) {
      return `Cannot read ${name} event as "seq" must be in 1..2^53-1: current value is ${v}`;
    }
  }
  if ((line.present & FROM_ZERO_MASK) !== 0) {
    for (const k of FROM_ZERO) {
      const v = line.num[k];
      if (line.has(k) && !(v >= 0 && v <= MAX_INT) && !Number.isNaN(v)) {
        return `Cannot read ${name} event as "${
          KEYS[k]
        }" must be in 0..2^53-1: current value is ${v}`;
      }
    }
  }
  const q = line.queuedMsgs;
  for (let j = 0; j < q.n; j += QUEUED_FIELDS) {
    const seq = q.a[j + 1], session = q.a[j + 3];
    if (!Number.isNaN(seq) && !(seq >= 1 && seq <= MAX_INT)) {
      return `Cannot read ${name} event as a "queued_msgs" seq must be in 1..2^53-1: current value is ${seq}`;
    }
    if (!Number.isNaN(session) && !(session >= 0 && session <= MAX_INT)) {
      return `Cannot read ${name} event as a "queued_msgs" session must be in 0..2^53-1: current value is ${session}`;
    }
  }
  return "";
}

/**
 * Checks a parsed line against the schema; `ids` says whether the log is in our schema (its
 * STARTUP carries `port`), which makes the added keys required.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventLine } from "./_event_line.ts";
 * import { checkEvent } from "./_event_schema.ts";
 * const line = new EventLine();
 * const b = new TextEncoder().encode('{"event": "INTERNAL", "system_time": 1, "machine_id": 1}');
 * line.parse(b, 0, b.length);
 * assert.equal(checkEvent(line, { ids: false }), 'Cannot read INTERNAL event: "old_clock" is missing');
 * ```
 */
export function checkEvent(line: EventLine, options: { ids: boolean }): string {
  if (!line.has(KEY.event)) return 'Cannot read event: "event" is missing';
  const e = line.event;
  if (e < 0) {
    return `Cannot read the event as "event" is not a known event name: current value is ${
      JSON.stringify(line.str(KEY.event))
    }`;
  }
  const need = BASE | ORIGINAL[e] | (options.ids ? ADDED[e] : 0);
  const missing = need & ~line.present;
  const name = EVENT_NAMES[e];
  if (missing !== 0) {
    return `Cannot read ${name} event: "${KEYS[31 - Math.clz32(missing & -missing)]}" is missing`;
  }
  // Numeric keys that are null where the schema does not allow it.
  for (let i = 0; i < NULLABLE.length; i++) {
    const k = NULLABLE[i];
    if (!line.has(k) || (NULL_OK[e] & (1 << k)) !== 0) continue;
    if (k === KEY.to && e === EV_SEND) continue;
    if (Number.isNaN(line.num[k])) return `Cannot read ${name} event: "${KEYS[k]}" is null`;
  }
  if (line.has(KEY.to) && line.toArray !== (e === EV_SEND)) {
    const want = e === EV_SEND ? "an array of integers or null" : "an integer or null";
    return `Cannot read ${name} event as "to" must be ${want}: current value is ${
      line.toArray ? "an array" : "a single value"
    }`;
  }
  if (e === EV_SEND && line.has(KEY.to) && line.has(KEY.recipients)) {
    if (line.to.n !== line.recipientPort.n) {
      return `Cannot read SEND event as "to" must have one entry per recipient: current value has ${line.to.n} for ${line.recipientPort.n}`;
    }
  }
  if (e === EV_RECEIVE && line.has(KEY.from)) {
    const nullFrom = Number.isNaN(line.num[KEY.from]), nullSeq = Number.isNaN(line.num[KEY.seq]);
    if (nullFrom !== nullSeq) {
      return `Cannot read RECEIVE event as "from" and "seq" must both be null or both be set: current value has ${
        nullFrom ? '"from" null' : '"seq" null'
      }`;
    }
  }
  const ranges = rangeError(line, name);
  if (ranges !== "") return ranges;
  if (e === EV_PROTOCOL_ERROR) {
    const ids = line.present & REJECTED;
    if (ids !== 0 && ids !== REJECTED) {
      return `Cannot read PROTOCOL_ERROR event as "from", "seq" and "clock" must be given together: current value has ${
        KEYS.filter((_, k) => (ids & (1 << k)) !== 0).map((k) => `"${k}"`).join(", ")
      }`;
    }
  }
  if (e === EV_END && line.has(KEY.reason)) {
    const reason = line.str(KEY.reason);
    if (!(END_REASONS as readonly string[]).includes(reason)) {
      return `Cannot read END event as "reason" must be one of ${
        END_REASONS.map((r) => `"${r}"`).join(", ")
      }: current value is ${JSON.stringify(reason).slice(0, 60)}`;
    }
  }
  const t = line.num[KEY.system_time];
  if (!Number.isFinite(t)) {
    return `Cannot read ${name} event as "system_time" must be finite: current value is ${t}`;
  }
  return "";
}

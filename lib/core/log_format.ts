/**
 * Log lines: one event as one line in the style of Python's `json.dumps`, with a fast path
 * for the per-tick events.
 *
 * @module
 */
import type { LogEvent } from "./log_schema.ts";

/**
 * Serialises one event as a log line in Python's `json.dumps` style (`", "` and `": "`
 * separators), keeping key order, with a trailing newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatEvent } from "./log_format.ts";
 * assert.equal(
 *   formatEvent({ event: "INTERNAL", system_time: 1.5, machine_id: 1, old_clock: 0, new_clock: 1 }),
 *   '{"event": "INTERNAL", "system_time": 1.5, "machine_id": 1, "old_clock": 0, "new_clock": 1}\n',
 * );
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
        typeof event.arrival_time === "number" && numOrNull(event.from_session)
      ) {
        return `{"event": "RECEIVE", "system_time": ${event.system_time}, "machine_id": ${event.machine_id}, "old_clock": ${event.old_clock}, "new_clock": ${event.new_clock}, "queue_len": ${event.queue_len}, "from": ${event.from}, "seq": ${event.seq}, "msg_clock": ${event.msg_clock}, "arrival_time": ${event.arrival_time}, "from_session": ${event.from_session}}\n`;
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
  ...["queue_len", "from", "seq", "msg_clock", "arrival_time", "from_session"],
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

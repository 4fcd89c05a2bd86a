/**
 * One entry of END's `queued_msgs` (`{"from", "seq", "clock"}` and, in logs with incarnations,
 * `"session"`), parsed by the line parser without decoding its key names.
 *
 * @module
 */
import { type JsonScanner, T_NULL, T_NUM, T_OBJ } from "./_json_scanner.ts";
import type { NumList } from "./_num_list.ts";

/** Numbers per message in a parsed `queued_msgs`: from, seq, clock, session (NaN: null or absent). */
export const QUEUED_FIELDS = 4;

const Q_FROM = 0, Q_SEQ = 1, Q_CLOCK = 2, Q_SESSION = 3;
const Q_NAMES = ["from", "seq", "clock", "session"];
const Q_BYTES = Q_NAMES.map((k) => new TextEncoder().encode(k));

/**
 * Parses one `queued_msgs` item at the scanner's position and appends its
 * {@link QUEUED_FIELDS} numbers to `out`. Returns 0 on a syntax error, 1 when fine, 2 when the
 * item has the wrong shape (not an object, a key missing, a non-integer value).
 *
 * @example
 * ```ts
 * import { parseQueuedItem } from "./_queued_item.ts";
 * import { JsonScanner } from "./_json_scanner.ts";
 * import { NumList } from "./_num_list.ts";
 * import assert from "node:assert/strict";
 * const s = new JsonScanner(), out = new NumList();
 * const text = new TextEncoder().encode('{"from": 3, "seq": 2, "clock": 5, "session": 9}');
 * s.reset(text, 0, text.length);
 * assert.equal(parseQueuedItem(s, out), 1);
 * assert.deepEqual([...out.a.subarray(0, out.n)], [3, 2, 5, 9]);
 * ```
 */
export function parseQueuedItem(s: JsonScanner, out: NumList): number {
  if (s.value() !== T_OBJ) return s.error ? 0 : 2;
  let from = NaN, seq = NaN, clock = NaN, session = NaN, seen = 0;
  if (s.peek() === 0x7d) return 2;
  for (;;) {
    if (s.peek() !== 0x22 || !s.string()) return s.error ? 0 : 2;
    const name = keyOf(s);
    if (!s.expect(0x3a, "':'")) return 0;
    const t = s.value();
    if (t === 0) return 0;
    const v = t === T_NUM && Number.isInteger(s.num) ? s.num : t === T_NULL ? NaN : undefined;
    if (v === undefined) return 2;
    if (name === Q_FROM) (from = v, seen |= 1);
    else if (name === Q_SEQ) (seq = v, seen |= 2);
    else if (name === Q_CLOCK) (clock = v, seen |= 4);
    else if (name === Q_SESSION) session = v;
    const c = s.peek();
    if (c === 0x2c) s.advance();
    else if (c === 0x7d) break;
    else return 2;
  }
  s.advance();
  if (seen !== 7 || Number.isNaN(clock)) return 2;
  out.push(from);
  out.push(seq);
  out.push(clock);
  out.push(session);
  return 1;
}

/** Which key the string just scanned is (Q_*), or -1. */
function keyOf(s: JsonScanner): number {
  if (s.strEscaped) return Q_NAMES.indexOf(s.text());
  const a = s.strStart, len = s.strEnd - a, b = s.buf;
  for (let k = 0; k < Q_BYTES.length; k++) {
    const kb = Q_BYTES[k];
    if (kb.length !== len) continue;
    let i = 0;
    while (i < len && kb[i] === b[a + i]) i++;
    if (i === len) return k;
  }
  return -1;
}

/**
 * Item parsers for the arrays of a log line (`to`, `peers`, `recipients`; `queued_msgs` is in
 * `_queued_item.ts`): each reads one item at the scanner's position into a {@link NumList}.
 * They return 0 on a syntax error, 1 when fine, 2 when the item has the wrong type.
 *
 * @module
 */
import { type JsonScanner, T_ARR, T_NULL, T_NUM, T_STR } from "./_json_scanner.ts";
import type { NumList } from "./_num_list.ts";

/**
 * One `to` item: an integer, or null (NaN).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonScanner } from "./_json_scanner.ts";
 * import { NumList } from "./_num_list.ts";
 * import { parseToItem } from "./_array_items.ts";
 * const s = new JsonScanner(), out = new NumList(), text = new TextEncoder().encode("2.5");
 * s.reset(text, 0, text.length);
 * assert.equal(parseToItem(s, out), 2); // not an integer
 * ```
 */
export function parseToItem(s: JsonScanner, out: NumList): number {
  const t = s.value();
  if (t === T_NUM && Number.isInteger(s.num)) return (out.push(s.num), 1);
  if (t === T_NULL) return (out.push(NaN), 1);
  return t === 0 ? 0 : 2;
}

/**
 * One `peers` item: a string, kept as its byte range (the end negated when it has escapes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonScanner } from "./_json_scanner.ts";
 * import { NumList } from "./_num_list.ts";
 * import { parseStringItem } from "./_array_items.ts";
 * const s = new JsonScanner(), out = new NumList(), text = new TextEncoder().encode('"a:1"');
 * s.reset(text, 0, text.length);
 * assert.equal(parseStringItem(s, out), 1);
 * assert.deepEqual([...out.a.subarray(0, out.n)], [1, 4]);
 * ```
 */
export function parseStringItem(s: JsonScanner, out: NumList): number {
  const t = s.value();
  if (t !== T_STR) return t === 0 ? 0 : 2;
  out.push(s.strStart);
  out.push(s.strEscaped ? -s.strEnd : s.strEnd);
  return 1;
}

/**
 * One `recipients` item: `["host", port]`, the host's byte range into `hosts`, the port into
 * `ports`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonScanner } from "./_json_scanner.ts";
 * import { NumList } from "./_num_list.ts";
 * import { parseRecipientItem } from "./_array_items.ts";
 * const s = new JsonScanner(), hosts = new NumList(), ports = new NumList();
 * const text = new TextEncoder().encode('["::1", 5002]');
 * s.reset(text, 0, text.length);
 * assert.equal(parseRecipientItem(s, { hosts, ports }), 1);
 * assert.deepEqual([ports.a[0], hosts.a[0], hosts.a[1]], [5002, 2, 5]);
 * ```
 */
export function parseRecipientItem(
  s: JsonScanner,
  out: { hosts: NumList; ports: NumList },
): number {
  if (s.value() !== T_ARR) return s.error ? 0 : 2;
  if (s.peek() !== 0x22 || !s.string()) return s.error ? 0 : 2;
  out.hosts.push(s.strStart);
  out.hosts.push(s.strEscaped ? -s.strEnd : s.strEnd);
  if (s.peek() !== 0x2c) return 2;
  s.advance();
  if (s.value() !== T_NUM || !Number.isInteger(s.num)) return s.error ? 0 : 2;
  out.ports.push(s.num);
  if (s.peek() !== 0x5d) return 2;
  s.advance();
  return 1;
}

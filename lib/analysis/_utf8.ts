/**
 * Validation of UTF-8 in log lines: a line with an ill-formed sequence anywhere is a bad line.
 *
 * @module
 */

/**
 * Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, at
 * most U+10FFFF) starting with the non-ASCII byte `b[p]` and ending before `end`, or 0 when it
 * is not one.
 *
 * @example
 * ```ts
 * import { utf8Length } from "./_utf8.ts";
 * import assert from "node:assert/strict";
 * const euro = new Uint8Array([0xe2, 0x82, 0xac]);
 * assert.equal(utf8Length(euro, 0, 3), 3);
 * assert.equal(utf8Length(euro, 0, 2), 0); // cut short
 * assert.equal(utf8Length(new Uint8Array([0xed, 0xa0, 0x80]), 0, 3), 0); // a UTF-16 surrogate
 * ```
 */
export function utf8Length(b: Uint8Array, p: number, end: number): number {
  const c = b[p];
  let n: number, lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return 0;
  if (p + n > end) return 0;
  const c1 = b[p + 1];
  if (c1 < lo || c1 > hi) return 0;
  for (let i = 2; i < n; i++) if ((b[p + i] & 0xc0) !== 0x80) return 0;
  return n;
}

const decoder = new TextDecoder();

/**
 * `b[start, end)` decoded as UTF-8 (as `TextDecoder.decode`). Short ASCII strings (addresses,
 * reasons, the peers of a STARTUP line: millions in a run of 1000 machines) are built from
 * their bytes directly, which is several times faster than a call into the decoder each.
 *
 * @example
 * ```ts
 * import { decodeUtf8 } from "./_utf8.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode('"127.0.0.1:5002" "€ 5"');
 * assert.equal(decodeUtf8(bytes, 1, 15), "127.0.0.1:5002");
 * assert.equal(decodeUtf8(bytes, 18, bytes.length - 1), "€ 5");
 * ```
 */
export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return decoder.decode(b.subarray(start, end));
  for (let i = start; i < end; i++) {
    if (b[i] >= 0x80) return decoder.decode(b.subarray(start, end));
  }
  return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
}

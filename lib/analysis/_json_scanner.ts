/**
 * A strict, allocation-free JSON scanner over bytes: the primitives the log line parser is
 * built from. It accepts exactly what `JSON.parse` accepts (RFC 8259 grammar) and reports the
 * first syntax error with its column, so a hand-written fast path never lets a malformed line
 * through.
 *
 * @module
 */

import { JsonNumber } from "./_json_number.ts";
import { decodeUtf8, utf8Length } from "./_utf8.ts";

/** Type tags returned by {@link JsonScanner.value}. */
export const T_NUM = 1, T_STR = 2, T_NULL = 3, T_BOOL = 4, T_ARR = 5, T_OBJ = 6;

/**
 * Scans one line held in a byte buffer. Methods return `false` (and set {@link error}) on a
 * syntax error; the position then points at the offending byte. Its state is private: read
 * it through the getters, move with {@link advance} and {@link rewind}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonScanner, T_NUM } from "./_json_scanner.ts";
 * const s = new JsonScanner();
 * s.reset(new TextEncoder().encode("12.5"), 0, 4);
 * assert.equal(s.value(), T_NUM);
 * assert.equal(s.num, 12.5);
 * ```
 */
export class JsonScanner {
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;
  #end = 0;
  #start = 0;
  #error = "";
  #num = 0;
  #strStart = 0;
  #strEnd = 0;
  #strEscaped = false;
  #bool = false;
  #numbers = new JsonNumber();
  #at = { from: 0, end: 0 }; // reused: no object per number

  /** The bytes being scanned. */
  get buf(): Uint8Array {
    return this.#buf;
  }

  /** Current position. */
  get pos(): number {
    return this.#pos;
  }

  /** Last syntax error, or "". */
  get error(): string {
    return this.#error;
  }

  /** Value of the last number scanned. */
  get num(): number {
    return this.#num;
  }

  /** Byte range of the last string scanned (without quotes). */
  get strStart(): number {
    return this.#strStart;
  }

  /** End of that range (exclusive). */
  get strEnd(): number {
    return this.#strEnd;
  }

  /** Whether the last string contained a backslash escape. */
  get strEscaped(): boolean {
    return this.#strEscaped;
  }

  /** Value of the last boolean scanned. */
  get bool(): boolean {
    return this.#bool;
  }

  /** Consumes the byte at the position (one that {@link peek} returned). */
  advance(): void {
    this.#pos++;
  }

  /** Goes back to `pos` (a position this scan passed) and forgets the error. */
  rewind(pos: number): void {
    this.#pos = pos;
    this.#error = "";
  }

  /** Points the scanner at `buf[start, end)`. */
  reset(buf: Uint8Array, start: number, end: number): void {
    this.#buf = buf;
    this.#pos = start;
    this.#start = start;
    this.#end = end;
    this.#error = "";
  }

  /** Sets a syntax error at the current position; always returns false. */
  fail(what: string): false {
    if (this.#error !== "") return false;
    const col = this.#pos - this.#start + 1;
    if (this.#pos >= this.#end) this.#error = `Cannot parse line as JSON: ${what} at end of line`;
    else {
      const c = this.#buf[this.#pos];
      const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${hex(c)}`;
      this.#error =
        `Cannot parse line as JSON: ${what}: current value is ${shown} at column ${col}`;
    }
    return false;
  }

  /** Skips JSON whitespace, except '\n', which ends a log line. */
  ws(): void {
    const b = this.#buf;
    let p = this.#pos;
    while (p < this.#end) {
      const c = b[p];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
      p++;
    }
    this.#pos = p;
  }

  /** Consumes byte `c` after whitespace, or fails. */
  expect(c: number, what: string): boolean {
    this.ws();
    if (this.#pos < this.#end && this.#buf[this.#pos] === c) {
      this.#pos++;
      return true;
    }
    return this.fail(`expected ${what}`);
  }

  /** The byte after whitespace (-1 at end of line), not consumed. */
  peek(): number {
    this.ws();
    return this.#pos < this.#end ? this.#buf[this.#pos] : -1;
  }

  /** Scans a string; the opening quote must be at `pos`. */
  string(): boolean {
    const b = this.#buf;
    let p = this.#pos + 1;
    this.#strStart = p;
    this.#strEscaped = false;
    let high = 0; // OR of the bytes: non-ASCII ones are validated once the string is whole
    while (p < this.#end) {
      const c = b[p];
      high |= c;
      if (c === 0x22) {
        this.#strEnd = p;
        this.#pos = p + 1;
        return high < 0x80 || this.#utf8(this.#strStart, p);
      }
      if (c < 0x20) {
        this.#pos = p;
        return this.fail("control character in string");
      }
      if (c === 0x5c) {
        this.#strEscaped = true;
        p++;
        const e = p < this.#end ? b[p] : -1;
        if (e === 0x75) {
          for (let i = 1; i <= 4; i++) {
            if (p + i >= this.#end || !isHex(b[p + i])) {
              this.#pos = p + i;
              return this.fail("bad \\u escape in string");
            }
          }
          p += 5;
          continue;
        }
        if (
          e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e &&
          e !== 0x72 && e !== 0x74
        ) {
          this.#pos = p;
          return this.fail("bad escape in string");
        }
      }
      p++;
    }
    this.#pos = p;
    return this.fail("unterminated string");
  }

  /** Checks that `buf[from, to)` is well-formed UTF-8; else fails at the first bad byte. */
  #utf8(from: number, to: number): boolean {
    const b = this.#buf;
    for (let i = from; i < to;) {
      if (b[i] < 0x80) {
        i++;
        continue;
      }
      const n = utf8Length(b, i, to);
      if (n === 0) {
        this.#pos = i;
        return this.fail("invalid UTF-8 in string");
      }
      i += n;
    }
    return true;
  }

  /** The last string scanned, decoded. */
  text(): string {
    const raw = decodeUtf8(this.#buf, this.#strStart, this.#strEnd);
    return this.#strEscaped ? JSON.parse('"' + raw + '"') : raw;
  }

  /** Scans a number; `pos` must be at '-' or a digit. Exact like `JSON.parse`. */
  number(): boolean {
    const at = this.#at;
    at.from = this.#pos;
    at.end = this.#end;
    const p = this.#numbers.scan(this.#buf, at);
    if (p < 0) {
      this.#pos = -1 - p;
      return this.fail(this.#numbers.problem);
    }
    this.#pos = p;
    this.#num = this.#numbers.value;
    return true;
  }

  /** Matches the literal `word` (bytes) at `pos`. */
  literal(word: Uint8Array): boolean {
    const b = this.#buf;
    for (let i = 0; i < word.length; i++) {
      if (this.#pos >= this.#end || b[this.#pos] !== word[i]) return this.fail("invalid literal");
      this.#pos++;
    }
    return true;
  }

  /** Scans any scalar value, or the opening of an array/object; returns its tag or 0. */
  value(): number {
    const c = this.peek();
    if (c === 0x22) return this.string() ? T_STR : 0;
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number() ? T_NUM : 0;
    if (c === 0x6e) return this.literal(NULL) ? T_NULL : 0;
    if (c === 0x74) return this.literal(TRUE) ? (this.#bool = true, T_BOOL) : 0;
    if (c === 0x66) return this.literal(FALSE) ? (this.#bool = false, T_BOOL) : 0;
    if (c === 0x5b) return (this.#pos++, T_ARR);
    if (c === 0x7b) return (this.#pos++, T_OBJ);
    this.fail("expected a value");
    return 0;
  }

  /** Scans and discards a whole value (recursing into arrays and objects). */
  skip(): boolean {
    const t = this.value();
    if (t === 0) return false;
    if (t === T_ARR) {
      if (this.peek() === 0x5d) return (this.#pos++, true);
      for (;;) {
        if (!this.skip()) return false;
        const c = this.peek();
        if (c === 0x2c) this.#pos++;
        else if (c === 0x5d) return (this.#pos++, true);
        else return this.fail("expected ',' or ']'");
      }
    }
    if (t === T_OBJ) {
      if (this.peek() === 0x7d) return (this.#pos++, true);
      for (;;) {
        if (this.peek() !== 0x22) return this.fail("expected a key");
        if (!this.string() || !this.expect(0x3a, "':'") || !this.skip()) return false;
        const c = this.peek();
        if (c === 0x2c) this.#pos++;
        else if (c === 0x7d) return (this.#pos++, true);
        else return this.fail("expected ',' or '}'");
      }
    }
    return true;
  }
}

const NULL = new TextEncoder().encode("null");
const TRUE = new TextEncoder().encode("true");
const FALSE = new TextEncoder().encode("false");

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hex(c: number): string {
  return c.toString(16).padStart(2, "0");
}

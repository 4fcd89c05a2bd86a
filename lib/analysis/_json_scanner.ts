/**
 * A strict, allocation-free JSON scanner over bytes: the primitives the log line parser is
 * built from. It accepts exactly what `JSON.parse` accepts (RFC 8259 grammar) and reports the
 * first syntax error with its column, so a hand-written fast path never lets a malformed line
 * through.
 *
 * @module
 */

import { POW10, twoPart } from "./_decimal.ts";
import { utf8Length } from "./_utf8.ts";

/** Type tags returned by {@link JsonScanner.value}. */
export const T_NUM = 1, T_STR = 2, T_NULL = 3, T_BOOL = 4, T_ARR = 5, T_OBJ = 6;

const latin1 = new TextDecoder("latin1");
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const utf8 = new TextDecoder();

/**
 * Scans one line held in a byte buffer. Methods return `false` (and set `error`) on a syntax
 * error; the position then points at the offending byte.
 *
 * @example
 * ```ts
 * import { JsonScanner, T_NUM } from "./_json_scanner.ts";
 * const s = new JsonScanner();
 * s.reset(new TextEncoder().encode("12.5"), 0, 4);
 * s.value() === T_NUM && s.num === 12.5; // true
 * ```
 */
export class JsonScanner {
  /** The bytes being scanned. */
  buf: Uint8Array = new Uint8Array(0);
  /** Current position. */
  pos = 0;
  /** End of the line (exclusive). */
  end = 0;
  /** Start of the line, for column numbers. */
  start = 0;
  /** Last syntax error, or "". */
  error = "";
  /** Value of the last number scanned. */
  num = 0;
  /** Byte range of the last string scanned (without quotes). */
  strStart = 0;
  /** End of that range (exclusive). */
  strEnd = 0;
  /** Whether the last string contained a backslash escape. */
  strEscaped = false;
  /** Value of the last boolean scanned. */
  bool = false;

  /** Points the scanner at `buf[start, end)`. */
  reset(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.start = start;
    this.end = end;
    this.error = "";
  }

  /** Sets a syntax error at the current position; always returns false. */
  fail(what: string): false {
    if (this.error !== "") return false;
    const col = this.pos - this.start + 1;
    if (this.pos >= this.end) this.error = `Cannot parse line as JSON: ${what} at end of line`;
    else {
      const c = this.buf[this.pos];
      const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${hex(c)}`;
      this.error = `Cannot parse line as JSON: ${what}: current value is ${shown} at column ${col}`;
    }
    return false;
  }

  /** Skips JSON whitespace, except '\n', which ends a log line. */
  ws(): void {
    const b = this.buf;
    let p = this.pos;
    while (p < this.end) {
      const c = b[p];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
      p++;
    }
    this.pos = p;
  }

  /** Consumes byte `c` after whitespace, or fails. */
  expect(c: number, what: string): boolean {
    this.ws();
    if (this.pos < this.end && this.buf[this.pos] === c) {
      this.pos++;
      return true;
    }
    return this.fail(`expected ${what}`);
  }

  /** The byte after whitespace (-1 at end of line), not consumed. */
  peek(): number {
    this.ws();
    return this.pos < this.end ? this.buf[this.pos] : -1;
  }

  /** Scans a string; the opening quote must be at `pos`. */
  string(): boolean {
    const b = this.buf;
    let p = this.pos + 1;
    this.strStart = p;
    this.strEscaped = false;
    let high = 0; // OR of the bytes: non-ASCII ones are validated once the string is whole
    while (p < this.end) {
      const c = b[p];
      high |= c;
      if (c === 0x22) {
        this.strEnd = p;
        this.pos = p + 1;
        return high < 0x80 || this.#utf8(this.strStart, p);
      }
      if (c < 0x20) {
        this.pos = p;
        return this.fail("control character in string");
      }
      if (c === 0x5c) {
        this.strEscaped = true;
        p++;
        const e = p < this.end ? b[p] : -1;
        if (e === 0x75) {
          for (let i = 1; i <= 4; i++) {
            if (p + i >= this.end || !isHex(b[p + i])) {
              this.pos = p + i;
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
          this.pos = p;
          return this.fail("bad escape in string");
        }
      }
      p++;
    }
    this.pos = p;
    return this.fail("unterminated string");
  }

  /** Checks that `buf[from, to)` is well-formed UTF-8; else fails at the first bad byte. */
  #utf8(from: number, to: number): boolean {
    const b = this.buf;
    for (let i = from; i < to;) {
      if (b[i] < 0x80) {
        i++;
        continue;
      }
      const n = utf8Length(b, i, to);
      if (n === 0) {
        this.pos = i;
        return this.fail("invalid UTF-8 in string");
      }
      i += n;
    }
    return true;
  }

  /** The last string scanned, decoded. */
  text(): string {
    const raw = this.buf.subarray(this.strStart, this.strEnd);
    if (!this.strEscaped) return utf8.decode(raw);
    return JSON.parse('"' + utf8.decode(raw) + '"');
  }

  /** Scans a number; `pos` must be at '-' or a digit. Exact like `JSON.parse`. */
  number(): boolean {
    const b = this.buf, end = this.end, s = this.pos;
    let p = s, neg = false;
    if (b[p] === 0x2d) {
      neg = true;
      p++;
    }
    let mant = 0, digits = 0, exp = 0, frac = 0, intDigits = 0, intPart = 0;
    if (p < end && b[p] === 0x30) p++;
    else if (p < end && b[p] >= 0x31 && b[p] <= 0x39) {
      while (p < end && b[p] >= 0x30 && b[p] <= 0x39) {
        mant = mant * 10 + (b[p] - 0x30);
        digits++;
        p++;
      }
    } else {
      this.pos = p;
      return this.fail("expected a digit");
    }
    intPart = mant;
    intDigits = digits;
    if (p < end && b[p] === 0x2e) {
      p++;
      if (!(p < end && b[p] >= 0x30 && b[p] <= 0x39)) {
        this.pos = p;
        return this.fail("expected a digit after '.'");
      }
      while (p < end && b[p] >= 0x30 && b[p] <= 0x39) {
        if (mant !== 0 || b[p] !== 0x30) digits++;
        mant = mant * 10 + (b[p] - 0x30);
        frac = frac * 10 + (b[p] - 0x30);
        exp--;
        p++;
      }
    }
    let slow = false;
    if (p < end && (b[p] === 0x65 || b[p] === 0x45)) {
      p++;
      if (p < end && (b[p] === 0x2b || b[p] === 0x2d)) p++;
      if (!(p < end && b[p] >= 0x30 && b[p] <= 0x39)) {
        this.pos = p;
        return this.fail("expected a digit in exponent");
      }
      while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
      slow = true;
    }
    this.pos = p;
    if (!slow && exp === 0 && mant <= MAX_SAFE) {
      // An integer up to 2^53 − 1 (a session id has 16 digits): every step was exact.
      this.num = neg ? -mant : mant;
    } else if (slow || digits > 15 || exp < -22) {
      const v = slow || intDigits > 15 || exp < -15 ? NaN : twoPart(intPart, frac, -exp);
      this.num = Number.isNaN(v) ? parseFloat(latin1.decode(b.subarray(s, p))) : neg ? -v : v;
    } else {
      const v = exp === 0 ? mant : mant / POW10[-exp];
      this.num = neg ? -v : v;
    }
    return true;
  }

  /** Matches the literal `word` (bytes) at `pos`. */
  literal(word: Uint8Array): boolean {
    const b = this.buf;
    for (let i = 0; i < word.length; i++) {
      if (this.pos >= this.end || b[this.pos] !== word[i]) return this.fail("invalid literal");
      this.pos++;
    }
    return true;
  }

  /** Scans any scalar value, or the opening of an array/object; returns its tag or 0. */
  value(): number {
    const c = this.peek();
    if (c === 0x22) return this.string() ? T_STR : 0;
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number() ? T_NUM : 0;
    if (c === 0x6e) return this.literal(NULL) ? T_NULL : 0;
    if (c === 0x74) return this.literal(TRUE) ? (this.bool = true, T_BOOL) : 0;
    if (c === 0x66) return this.literal(FALSE) ? (this.bool = false, T_BOOL) : 0;
    if (c === 0x5b) return (this.pos++, T_ARR);
    if (c === 0x7b) return (this.pos++, T_OBJ);
    this.fail("expected a value");
    return 0;
  }

  /** Scans and discards a whole value (recursing into arrays and objects). */
  skip(): boolean {
    const t = this.value();
    if (t === 0) return false;
    if (t === T_ARR) {
      if (this.peek() === 0x5d) return (this.pos++, true);
      for (;;) {
        if (!this.skip()) return false;
        const c = this.peek();
        if (c === 0x2c) this.pos++;
        else if (c === 0x5d) return (this.pos++, true);
        else return this.fail("expected ',' or ']'");
      }
    }
    if (t === T_OBJ) {
      if (this.peek() === 0x7d) return (this.pos++, true);
      for (;;) {
        if (this.peek() !== 0x22) return this.fail("expected a key");
        if (!this.string() || !this.expect(0x3a, "':'") || !this.skip()) return false;
        const c = this.peek();
        if (c === 0x2c) this.pos++;
        else if (c === 0x7d) return (this.pos++, true);
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

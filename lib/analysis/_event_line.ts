/**
 * Parses one log line (bytes) into a reusable {@link EventLine}: the analyzer's hot path. It
 * validates the whole line as strict JSON (see `json_scanner.ts`) and the types of the keys of
 * our schema (`lib/log_schema.ts`); unknown keys are validated and ignored.
 *
 * @module
 */
import { JsonScanner, T_ARR, T_NULL, T_NUM, T_OBJ, T_STR } from "./_json_scanner.ts";
import { NumList } from "./_num_list.ts";
import { decodeUtf8 } from "./_utf8.ts";
import { parseQueuedItem } from "./_queued_item.ts";
import { parseRecipientItem, parseStringItem, parseToItem } from "./_array_items.ts";
import { EVENT_BYTES, KEY, KEY_BYTES, KEY_HASH, KEYS, KIND_OF } from "./_event_keys.ts";

export {
  EV_END,
  EV_INTERNAL,
  EV_LEGACY_PEER,
  EV_LINK_DOWN,
  EV_LINK_UP,
  EV_PROTOCOL_ERROR,
  EV_RECEIVE,
  EV_SEND,
  EV_STARTUP,
  EV_UNCONFIRMED,
  EV_UNDELIVERED,
  EVENT_NAMES,
  KEY,
  KEYS,
} from "./_event_keys.ts";

export { QUEUED_FIELDS } from "./_queued_item.ts";

/**
 * One parsed line. Reused for every line of a file: copy what must outlive the next line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EV_INTERNAL, EventLine, KEY } from "./_event_line.ts";
 * const line = new EventLine();
 * const bytes = new TextEncoder().encode('{"event": "INTERNAL", "system_time": 1.5, "machine_id": 1, "old_clock": 0, "new_clock": 1}');
 * assert.equal(line.parse(bytes, 0, bytes.length), ""); // no error
 * assert.equal(line.event, EV_INTERNAL);
 * assert.equal(line.num[KEY.new_clock], 1);
 * ```
 */
export class EventLine {
  #event = -1;
  #present = 0;
  #num = new Float64Array(KEYS.length);
  #strStart = new Int32Array(KEYS.length);
  #strEnd = new Int32Array(KEYS.length);
  #to = new NumList();
  #recipientPort = new NumList();
  #recipientHostRange = new NumList();
  #peersRange = new NumList();
  #queuedMsgs = new NumList();
  #recipients = { hosts: this.#recipientHostRange, ports: this.#recipientPort };
  #toArray = false;
  #lineEnd = -1;
  #schemaError = "";
  #s = new JsonScanner();
  #escaped = 0;
  #valueStart = 0;

  /** Event code (EV_*), -1 when unknown. */
  get event(): number {
    return this.#event;
  }

  /** Bit mask of the keys present. */
  get present(): number {
    return this.#present;
  }

  /** Numeric values by key index (NaN for null). */
  get num(): Float64Array {
    return this.#num;
  }

  /** `to` of a SEND. */
  get to(): NumList {
    return this.#to;
  }

  /** Ports of `recipients` (hosts in {@link recipientHost}). */
  get recipientPort(): NumList {
    return this.#recipientPort;
  }

  /** `queued_msgs`: from, seq, clock, session (four numbers per message, NaN for null or absent). */
  get queuedMsgs(): NumList {
    return this.#queuedMsgs;
  }

  /** Whether `to` was an array (SEND) rather than a scalar (UNDELIVERED). */
  get toArray(): boolean {
    return this.#toArray;
  }

  /**
   * Where the line ended (its '\n', or `end`) when it was valid JSON, else -1. A line may be
   * parsed with `end` past its '\n': parsing stops there.
   */
  get lineEnd(): number {
    return this.#lineEnd;
  }

  /** First schema (type) error of the line, or "". */
  get schemaError(): string {
    return this.#schemaError;
  }

  /** Parses `buf[start, end)`; returns "" or the reason the line is malformed. */
  parse(buf: Uint8Array, start: number, end: number): string {
    const s = this.#s;
    s.reset(buf, start, end);
    this.#lineEnd = -1;
    this.#present = 0;
    this.#event = -1;
    this.#schemaError = "";
    this.#escaped = 0;
    this.#toArray = false;
    this.#to.clear();
    this.#recipientPort.clear();
    this.#recipientHostRange.clear();
    this.#peersRange.clear();
    this.#queuedMsgs.clear();
    if (s.peek() !== 0x7b) {
      if (!s.skip()) return s.error;
      const c = s.peek();
      if (c !== -1 && c !== 0x0a) return (s.fail("unexpected data after the value"), s.error);
      this.#lineEnd = s.pos;
      return "Cannot read the event as the line must be a JSON object";
    }
    s.advance();
    if (s.peek() === 0x7d) s.advance();
    else {
      for (;;) {
        if (s.peek() !== 0x22) return (s.fail("expected a key"), s.error);
        if (!s.string() || !s.expect(0x3a, "':'")) return s.error;
        const key = this.#keyIndex();
        if (!(key < 0 ? s.skip() : this.#value(key))) return s.error;
        const c = s.peek();
        if (c === 0x2c) s.advance();
        else if (c === 0x7d) {
          s.advance();
          break;
        } else return (s.fail("expected ',' or '}'"), s.error);
      }
    }
    const c = s.peek();
    if (c !== -1 && c !== 0x0a) return (s.fail("unexpected data after the object"), s.error);
    this.#lineEnd = s.pos;
    return this.#schemaError;
  }

  /** Whether key `k` is present. */
  has(k: number): boolean {
    return (this.#present & (1 << k)) !== 0;
  }

  /** Decoded string value of key `k`. */
  str(k: number): string {
    return this.#decode(this.#strStart[k], this.#strEnd[k], (this.#escaped & (1 << k)) !== 0);
  }

  /** Decodes host `i` of `recipients`. */
  recipientHost(i: number): string {
    const r = this.#recipientHostRange.a;
    return this.#decode(r[2 * i], Math.abs(r[2 * i + 1]), r[2 * i + 1] < 0);
  }

  /** Decodes STARTUP `peers`. */
  peers(): string[] {
    const out: string[] = [];
    const r = this.#peersRange.a;
    for (let i = 0; i < this.#peersRange.n; i += 2) {
      out.push(this.#decode(r[i], Math.abs(r[i + 1]), r[i + 1] < 0));
    }
    return out;
  }

  #decode(a: number, b: number, escaped: boolean): string {
    const raw = decodeUtf8(this.#s.buf, a, b);
    return escaped ? JSON.parse('"' + raw + '"') : raw;
  }

  #keyIndex(): number {
    const s = this.#s;
    if (s.strEscaped) return (KEYS as readonly string[]).indexOf(s.text());
    const len = s.strEnd - s.strStart, b = s.buf, a = s.strStart;
    if (len === 0 || len >= 32 || b[a] >= 128 || b[a + len - 1] >= 128) return -1;
    const k = KEY_HASH[(len << 14) | (b[a] << 7) | b[a + len - 1]] - 1;
    if (k < 0) return -1;
    const kb = KEY_BYTES[k];
    for (let i = 1; i < len - 1; i++) if (kb[i] !== b[a + i]) return -1;
    return k;
  }

  #bad(k: number, want: string): void {
    if (this.#schemaError !== "") return;
    const s = this.#s;
    this.#schemaError = `Cannot read "${KEYS[k]}" as it must be ${want}: current value is ` +
      new TextDecoder().decode(s.buf.subarray(this.#valueStart, s.pos)).slice(0, 60);
  }

  #value(k: number): boolean {
    const s = this.#s;
    s.ws();
    this.#valueStart = s.pos;
    this.#present |= 1 << k;
    const kind = KIND_OF[k];
    if (kind === 5 || k === KEY.to) {
      if (s.peek() === 0x5b) {
        s.advance();
        if (k === KEY.to) this.#toArray = true;
        if (k === KEY.to) this.#to.clear();
        else if (k === KEY.peers) this.#peersRange.clear();
        else if (k === KEY.recipients) {
          (this.#recipientPort.clear(), this.#recipientHostRange.clear());
        } else this.#queuedMsgs.clear();
        return this.#array(k);
      }
      if (k !== KEY.to) return s.skip() && (this.#bad(k, "an array"), true);
    }
    if (k === KEY.to) this.#toArray = false;
    const t = s.value();
    if (t === 0) return false;
    if (t === T_ARR || t === T_OBJ) {
      s.rewind(this.#valueStart);
      if (!s.skip()) return false;
    }
    if (kind === 4) {
      if (t !== T_STR) return (this.#bad(k, "a string"), true);
      this.#strStart[k] = s.strStart;
      this.#strEnd[k] = s.strEnd;
      if (s.strEscaped) this.#escaped |= 1 << k;
      else this.#escaped &= ~(1 << k);
      if (k === KEY.event) this.#event = this.#eventCode();
      return true;
    }
    if (t === T_NULL && kind === 3) {
      this.#num[k] = NaN;
      return true;
    }
    if (t !== T_NUM) {
      const want = kind === 3 ? "an integer or null" : kind === 1 ? "an integer" : "a number";
      return (this.#bad(k, want), true);
    }
    if (kind !== 2 && !Number.isInteger(s.num)) {
      return (this.#bad(k, "an integer"), true);
    }
    this.#num[k] = s.num;
    return true;
  }

  #eventCode(): number {
    const s = this.#s, b = s.buf, a = s.strStart, len = s.strEnd - s.strStart;
    for (let e = 0; e < EVENT_BYTES.length; e++) {
      const eb = EVENT_BYTES[e];
      if (eb.length !== len) continue;
      let i = 0;
      while (i < len && eb[i] === b[a + i]) i++;
      if (i === len) return e;
    }
    return -1;
  }

  /** Parses the items of array `k` (after '['); an item of the wrong type is a schema error. */
  #array(k: number): boolean {
    const s = this.#s;
    if (s.peek() === 0x5d) return (s.advance(), true);
    for (;;) {
      const r = k === KEY.to
        ? parseToItem(s, this.#to)
        : k === KEY.peers
        ? parseStringItem(s, this.#peersRange)
        : k === KEY.recipients
        ? parseRecipientItem(s, this.#recipients)
        : parseQueuedItem(s, this.#queuedMsgs);
      if (r === 0) return false;
      if (r === 2) {
        s.rewind(this.#valueStart);
        const ok = s.skip();
        this.#bad(k, KIND[k]);
        return ok;
      }
      const c = s.peek();
      if (c === 0x2c) s.advance();
      else if (c === 0x5d) return (s.advance(), true);
      else return s.fail("expected ',' or ']'");
    }
  }
}

const KIND: Record<number, string> = {
  [KEY.to]: "an array of integers or null",
  [KEY.peers]: "an array of strings",
  [KEY.recipients]: 'an array of ["host", port] pairs',
  [KEY.queued_msgs]: 'an array of {"from", "seq", "clock"} objects (and "session")',
};

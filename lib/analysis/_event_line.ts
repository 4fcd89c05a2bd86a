/**
 * Parses one log line (bytes) into a reusable {@link EventLine}: the analyzer's hot path. It
 * validates the whole line as strict JSON (see `json_scanner.ts`) and the types of the keys of
 * our schema (`lib/log_schema.ts`); unknown keys are validated and ignored.
 *
 * @module
 */
import { JsonScanner, T_ARR, T_NULL, T_NUM, T_OBJ, T_STR } from "./_json_scanner.ts";
import { NumList } from "./_num_list.ts";
import { parseQueuedItem } from "./_queued_item.ts";
import { EVENT_BYTES, K, KEY_BYTES, KEY_HASH, KEYS, KIND_OF } from "./_event_keys.ts";

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
  K,
  KEYS,
} from "./_event_keys.ts";

export { QUEUED_FIELDS } from "./_queued_item.ts";

/**
 * One parsed line. Reused for every line of a file: copy what must outlive the next line.
 *
 * @example
 * ```ts
 * import { EventLine, K } from "./_event_line.ts";
 * const line = new EventLine();
 * const bytes = new TextEncoder().encode('{"event": "INTERNAL", "system_time": 1.5, "machine_id": 1, "old_clock": 0, "new_clock": 1}');
 * line.parse(bytes, 0, bytes.length); // "" (no error)
 * line.num[K.new_clock]; // 1
 * ```
 */
export class EventLine {
  /** Event code (EV_*), -1 when unknown. */
  event = -1;
  /** Bit mask of the keys present. */
  present = 0;
  /** Numeric values by key index (NaN for null). */
  num: Float64Array = new Float64Array(KEYS.length);
  /** String byte ranges by key index. */
  strStart: Int32Array = new Int32Array(KEYS.length);
  /** End of each string range. */
  strEnd: Int32Array = new Int32Array(KEYS.length);
  /** `to` of a SEND. */
  to: NumList = new NumList();
  /** Ports of `recipients` (hosts in {@link recipientHost}). */
  recipientPort: NumList = new NumList();
  /** Byte ranges of the recipient hosts, two numbers per host. */
  recipientHostRange: NumList = new NumList();
  /** Byte ranges of STARTUP `peers`, two numbers per peer. */
  peersRange: NumList = new NumList();
  /** `queued_msgs`: from, seq, clock, session (four numbers per message, NaN for null or absent). */
  queuedMsgs: NumList = new NumList();
  /** Whether `to` was an array (SEND) rather than a scalar (UNDELIVERED). */
  toArray = false;
  /**
   * Where the line ended (its '\n', or `end`) when it was valid JSON, else -1. A line may
   * be parsed with `end` past its '\n': parsing stops there.
   */
  lineEnd = -1;
  /** First schema (type) error of the line, or "". */
  schemaError = "";
  #s = new JsonScanner();
  #escaped = 0;

  /** Parses `buf[start, end)`; returns "" or the reason the line is malformed. */
  parse(buf: Uint8Array, start: number, end: number): string {
    const s = this.#s;
    s.reset(buf, start, end);
    this.lineEnd = -1;
    this.present = 0;
    this.event = -1;
    this.schemaError = "";
    this.#escaped = 0;
    this.toArray = false;
    this.to.n = this.recipientPort.n = this.recipientHostRange.n = 0;
    this.peersRange.n = this.queuedMsgs.n = 0;
    if (s.peek() !== 0x7b) {
      if (!s.skip()) return s.error;
      const c = s.peek();
      if (c !== -1 && c !== 0x0a) return (s.fail("unexpected data after the value"), s.error);
      this.lineEnd = s.pos;
      return "Cannot read event: line is not a JSON object";
    }
    s.pos++;
    if (s.peek() === 0x7d) s.pos++;
    else {
      for (;;) {
        if (s.peek() !== 0x22) return (s.fail("expected a key"), s.error);
        if (!s.string() || !s.expect(0x3a, "':'")) return s.error;
        const key = this.#keyIndex();
        if (!(key < 0 ? s.skip() : this.#value(key))) return s.error;
        const c = s.peek();
        if (c === 0x2c) s.pos++;
        else if (c === 0x7d) {
          s.pos++;
          break;
        } else return (s.fail("expected ',' or '}'"), s.error);
      }
    }
    const c = s.peek();
    if (c !== -1 && c !== 0x0a) return (s.fail("unexpected data after the object"), s.error);
    this.lineEnd = s.pos;
    return this.schemaError;
  }

  /** Whether key `k` is present. */
  has(k: number): boolean {
    return (this.present & (1 << k)) !== 0;
  }

  /** Decoded string value of key `k`. */
  str(k: number): string {
    return this.#decode(this.strStart[k], this.strEnd[k], (this.#escaped & (1 << k)) !== 0);
  }

  /** Decodes host `i` of `recipients`. */
  recipientHost(i: number): string {
    const r = this.recipientHostRange.a;
    return this.#decode(r[2 * i], Math.abs(r[2 * i + 1]), r[2 * i + 1] < 0);
  }

  /** Decodes STARTUP `peers`. */
  peers(): string[] {
    const out: string[] = [];
    const r = this.peersRange.a;
    for (let i = 0; i < this.peersRange.n; i += 2) {
      out.push(this.#decode(r[i], Math.abs(r[i + 1]), r[i + 1] < 0));
    }
    return out;
  }

  #decode(a: number, b: number, escaped: boolean): string {
    const raw = new TextDecoder().decode(this.#s.buf.subarray(a, b));
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
    if (this.schemaError !== "") return;
    const s = this.#s;
    this.schemaError = `Cannot read "${KEYS[k]}": it must be ${want}: current value is ` +
      new TextDecoder().decode(s.buf.subarray(this.#valueStart, s.pos)).slice(0, 60);
  }

  #valueStart = 0;

  #value(k: number): boolean {
    const s = this.#s;
    s.ws();
    this.#valueStart = s.pos;
    this.present |= 1 << k;
    const kind = KIND_OF[k];
    if (kind === 5 || k === K.to) {
      if (s.peek() === 0x5b) {
        s.pos++;
        if (k === K.to) this.toArray = true;
        if (k === K.to) this.to.n = 0;
        else if (k === K.peers) this.peersRange.n = 0;
        else if (k === K.recipients) this.recipientPort.n = this.recipientHostRange.n = 0;
        else this.queuedMsgs.n = 0;
        if (k === K.to) return this.#array(k, this.#toItem);
        if (k === K.peers) return this.#array(k, this.#peerItem);
        if (k === K.recipients) return this.#array(k, this.#recipientItem);
        return this.#array(k, this.#queuedItem);
      }
      if (k !== K.to) return s.skip() && (this.#bad(k, "an array"), true);
    }
    if (k === K.to) this.toArray = false;
    const t = s.value();
    if (t === 0) return false;
    if (t === T_ARR || t === T_OBJ) {
      s.pos = this.#valueStart;
      if (!s.skip()) return false;
    }
    if (kind === 4) {
      if (t !== T_STR) return (this.#bad(k, "a string"), true);
      this.strStart[k] = s.strStart;
      this.strEnd[k] = s.strEnd;
      if (s.strEscaped) this.#escaped |= 1 << k;
      else this.#escaped &= ~(1 << k);
      if (k === K.event) this.event = this.#eventCode();
      return true;
    }
    if (t === T_NULL && kind === 3) {
      this.num[k] = NaN;
      return true;
    }
    if (t !== T_NUM) {
      const want = kind === 3 ? "an integer or null" : kind === 1 ? "an integer" : "a number";
      return (this.#bad(k, want), true);
    }
    if (kind !== 2 && !Number.isInteger(s.num)) {
      return (this.#bad(k, "an integer"), true);
    }
    this.num[k] = s.num;
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

  /** Parses array items with `item` (after '['); a `false` item means a schema error. */
  #array(k: number, item: (this: EventLine) => number): boolean {
    const s = this.#s;
    if (s.peek() === 0x5d) return (s.pos++, true);
    for (;;) {
      const r = item.call(this);
      if (r === 0) return false;
      if (r === 2) {
        s.error = "";
        s.pos = this.#valueStart;
        const ok = s.skip();
        this.#bad(k, KIND[k]);
        return ok;
      }
      const c = s.peek();
      if (c === 0x2c) s.pos++;
      else if (c === 0x5d) return (s.pos++, true);
      else return s.fail("expected ',' or ']'");
    }
  }

  // Item parsers return 0 on a syntax error, 1 when fine, 2 on a wrong type.
  #toItem(): number {
    const s = this.#s, t = s.value();
    if (t === T_NUM && Number.isInteger(s.num)) return (this.to.push(s.num), 1);
    if (t === T_NULL) return (this.to.push(NaN), 1);
    return t === 0 ? 0 : 2;
  }

  #peerItem(): number {
    const s = this.#s, t = s.value();
    if (t !== T_STR) return t === 0 ? 0 : 2;
    this.peersRange.push(s.strStart);
    this.peersRange.push(s.strEscaped ? -s.strEnd : s.strEnd);
    return 1;
  }

  #recipientItem(): number {
    const s = this.#s;
    if (s.value() !== T_ARR) return s.error ? 0 : 2;
    if (s.peek() !== 0x22 || !s.string()) return s.error ? 0 : 2;
    this.recipientHostRange.push(s.strStart);
    this.recipientHostRange.push(s.strEscaped ? -s.strEnd : s.strEnd);
    if (s.peek() !== 0x2c) return 2;
    s.pos++;
    if (s.value() !== T_NUM || !Number.isInteger(s.num)) return s.error ? 0 : 2;
    this.recipientPort.push(s.num);
    if (s.peek() !== 0x5d) return 2;
    s.pos++;
    return 1;
  }

  #queuedItem(): number {
    return parseQueuedItem(this.#s, this.queuedMsgs);
  }
}

const KIND: Record<number, string> = {
  [K.to]: "an array of integers or null",
  [K.peers]: "an array of strings",
  [K.recipients]: 'an array of ["host", port] pairs',
  [K.queued_msgs]: 'an array of {"from", "seq", "clock"} objects (and "session")',
};

/**
 * Splits a byte stream into text lines with a length limit and strict UTF-8: the framing
 * layer of the wire format (no I/O).
 *
 * @module
 */
import { ProtocolError } from "./protocol_error.ts";

/**
 * Splits bytes into lines: lines split across chunks, several per chunk, CRLF line ends.
 * Blank lines are returned as `""` (they are keepalives on a link). A line longer than
 * `maxLineBytes` or invalid UTF-8 sets {@linkcode LineDecoder.error}: the lines before it are
 * still returned, nothing after it; at most `maxLineBytes` bytes are ever held.
 *
 * @example
 * ```ts
 * import { LineDecoder } from "./line_decoder.ts";
 * import assert from "node:assert/strict";
 * const d = new LineDecoder({ maxLineBytes: 16 });
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * assert.deepEqual(d.push(bytes("ab")), []);
 * assert.deepEqual(d.push(bytes("c\r\n\nd\n")), ["abc", "", "d"]);
 * d.push(bytes("x".repeat(17)));
 * assert.match(d.error!.message, /longer than 16 bytes/);
 * ```
 */
export class LineDecoder {
  #max: number;
  #pending: Uint8Array = new Uint8Array(0);
  #utf8 = new TextDecoder("utf-8", { fatal: true });
  #error: ProtocolError | null = null;

  /** `maxLineBytes`: longest line accepted, without its line end. */
  constructor(options: { maxLineBytes: number }) {
    this.#max = options.maxLineBytes;
  }

  /** The first error met, if any; the stream is unusable after it. */
  get error(): ProtocolError | null {
    return this.#error;
  }

  /** Bytes held waiting for the rest of a line. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /** Feeds a chunk; returns the lines it completed, in order. */
  push(chunk: Uint8Array): string[] {
    if (this.#error) return [];
    const data = this.#pending.length === 0 ? chunk : concat(this.#pending, chunk);
    const lines: string[] = [];
    let start = 0;
    try {
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
        this.#checkLength(end - start);
        lines.push(this.#decode(data.subarray(start, end)));
        start = nl + 1;
      }
      this.#checkLength(data.length - start);
      this.#pending = data.slice(start);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.#error = err;
      this.#pending = new Uint8Array(0);
    }
    return lines;
  }

  #checkLength(n: number): void {
    if (n > this.#max) {
      throw new ProtocolError(
        `Cannot accept frame longer than ${this.#max} bytes: current length is ${n}`,
      );
    }
  }

  #decode(bytes: Uint8Array): string {
    try {
      return this.#utf8.decode(bytes);
    } catch {
      throw new ProtocolError(`Cannot decode frame as UTF-8: current length is ${bytes.length}`);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

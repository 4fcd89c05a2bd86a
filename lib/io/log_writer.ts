/**
 * Buffered JSON-lines log file: many events per write, flushed at most `flushMs` (default
 * 100 ms) after a line was buffered, when the buffer is large, and on close (an idle log sets
 * no timer: a hundred idle nodes on one host woke ten times a second each for nothing). Only
 * whole lines reach the file: a write the disk cannot take is cut back to the last complete
 * line, and a reserve set aside at open makes room for the last lines (END). The path
 * {@linkcode STDOUT_LOG} (`"-"`) writes the log to stdout instead (containers collect logs from
 * there).
 *
 * @module
 */
import type { LogEvent } from "../core/log_schema.ts";
import { formatEvent } from "../core/log_format.ts";
import { writeAllSync } from "./write_all.ts";
import { errorMessage } from "../core/errors.ts";
import { osReason } from "./os_error.ts";

/** The log path that means stdout. */
export const STDOUT_LOG = "-";

/** Where the lines go: a file, or stdout. */
type Sink =
  & Pick<Deno.FsFile, "writeSync" | "close">
  & Partial<Pick<Deno.FsFile, "truncateSync" | "seekSync">>;

/** Options of {@linkcode LogWriter.open}. */
export interface LogWriterOptions {
  /** Flush at least this often (ms); 0 disables the timer (flush on size and close only). */
  flushMs?: number;
  /** Flush when this many characters are buffered; default 64 KiB. */
  maxBuffer?: number;
  /**
   * Bytes set aside at open in `<path>.reserve` (deleted at close) and released when the disk
   * is full, so the last lines (END) still fit; default 0 (none).
   */
  reserveBytes?: number;
  /**
   * Called once (soon after, never inside a `write`) when a write fails. Without it, the
   * failure is thrown by the next `write`, `flush` or `close`.
   */
  onError?: (error: LogWriteError) => void;
}

/**
 * The log file could not be written (e.g. the disk is full).
 *
 * @example
 * ```ts
 * import { LogWriteError } from "./log_writer.ts";
 * import assert from "node:assert/strict";
 * const err = new LogWriteError("logs/m.log", new Error("No space left on device (os error 28)"));
 * assert.equal(err.message, 'Cannot write log file "logs/m.log": no space left on device');
 * ```
 */
export class LogWriteError extends Error {
  /** The log file. */
  readonly path: string;

  /** Describes the failed write of `path`; `cause` is the underlying error. */
  constructor(path: string, cause: unknown) {
    const why = /os error 28\b|ENOSPC|no space left/i.test(errorMessage(cause))
      ? "no space left on device"
      : osReason(cause);
    const what = path === STDOUT_LOG ? "the log to stdout" : `log file ${JSON.stringify(path)}`;
    super(`Cannot write ${what}: ${why}`, { cause });
    this.name = "LogWriteError";
    this.path = path;
  }
}

/**
 * Writes log events to a file, synchronously and buffered, so a shutdown path can always
 * flush the last lines (END) before the process exits.
 *
 * @example
 * ```ts
 * import { LogWriter } from "./log_writer.ts";
 * import assert from "node:assert/strict";
 * const path = Deno.makeTempFileSync();
 * const log = LogWriter.open(path, { flushMs: 100 });
 * log.write({ event: "INTERNAL", system_time: 1, machine_id: 1, old_clock: 0, new_clock: 1 });
 * log.close();
 * assert.equal(Deno.readTextFileSync(path).split("\n").length, 2);
 * Deno.removeSync(path);
 * ```
 */
export class LogWriter {
  #path: string;
  #file: Sink;
  #o: LogWriterOptions;
  #buf: Uint8Array;
  #pos = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #encoder = new TextEncoder();
  #closed = false;
  #lines = 0;
  #written = 0; // bytes of whole lines in the file
  #failure: LogWriteError | null = null;
  #lost = new Map<string, number>(); // event name -> lines not written
  #endWritten = false;
  #last: Uint8Array | null = null; // END, held apart after a failure so it always has room

  private constructor(path: string, file: Sink, options: LogWriterOptions) {
    this.#path = path;
    this.#file = file;
    this.#o = options;
    // Lines are encoded into this buffer as they come (no strings kept alive until a flush);
    // a UTF-16 unit takes at most 3 UTF-8 bytes.
    this.#buf = new Uint8Array(Math.max(1024, options.maxBuffer ?? 65536) * 3);
  }

  /**
   * Creates (truncates) `path`, and its parent directories, sets the reserve aside, and
   * returns a writer for it; `"-"` writes to stdout (no reserve; stdout is left open).
   */
  static open(path: string, options: LogWriterOptions = {}): LogWriter {
    if (path === STDOUT_LOG) {
      const stdout = { writeSync: (p: Uint8Array) => Deno.stdout.writeSync(p), close() {} };
      return new LogWriter(path, stdout, { ...options, reserveBytes: 0 });
    }
    let file: Deno.FsFile;
    const reserve = options.reserveBytes ?? 0;
    try {
      const slash = path.lastIndexOf("/");
      if (slash > 0) Deno.mkdirSync(path.slice(0, slash), { recursive: true });
      if (reserve > 0) Deno.writeFileSync(`${path}.reserve`, new Uint8Array(reserve));
      file = Deno.openSync(path, { write: true, create: true, truncate: true });
    } catch (err) {
      if (reserve > 0) removeQuietly(`${path}.reserve`);
      throw new Error(`Cannot open log file ${JSON.stringify(path)}: ${osReason(err)}`, {
        cause: err,
      });
    }
    return new LogWriter(path, file, options);
  }

  /** Lines written (or buffered) so far. */
  get lines(): number {
    return this.#lines;
  }

  /** The write failure, once one happened. */
  get failure(): LogWriteError | null {
    return this.#failure;
  }

  /**
   * After a failure and {@linkcode LogWriter.close}: one line saying what could not be
   * written (counts by event) and whether END made it; `null` when nothing was lost.
   */
  get problem(): string | null {
    if (this.#failure === null) return null;
    const total = [...this.#lost.values()].reduce((a, b) => a + b, 0);
    const kinds = [...this.#lost].map(([k, n]) => `${n} ${k}`).join(", ");
    const lost = total === 0 ? "no line lost" : `${total} lines not written (${kinds})`;
    const end = this.#closed ? (this.#endWritten ? "; the log ends with END" : "") : "";
    return `${this.#failure.message}: ${lost}${end}`;
  }

  /** Buffers one event; flushes when the buffer is full. */
  write(event: LogEvent): void {
    if (this.#closed) throw new Error(`Cannot write ${event.event}: the log is closed`);
    this.#throwUnhandled();
    const line = formatEvent(event);
    this.#lines++;
    if (this.#failure !== null && event.event === "END") {
      this.#last = this.#encoder.encode(line);
      return;
    }
    const need = line.length * 3;
    if (this.#pos + need > this.#buf.length) {
      this.flush();
      if (this.#pos + need > this.#buf.length) {
        if (this.#failure === null && this.#put(this.#encoder.encode(line))) return;
        if (this.#failure !== null) return this.#count(event.event);
      }
    }
    this.#pos += this.#encoder.encodeInto(line, this.#buf.subarray(this.#pos)).written;
    if (this.#pos * 3 >= this.#buf.length) this.flush();
    else this.#armTimer();
  }

  /** Writes everything buffered to the file (after a failure: kept for the close). */
  flush(): void {
    this.#throwUnhandled();
    if (this.#pos === 0 || this.#closed || this.#failure !== null) return;
    if (this.#put(this.#buf.subarray(0, this.#pos))) this.#pos = 0;
    this.#throwUnhandled();
  }

  /**
   * Flushes, stops the timer, closes the file and deletes the reserve. After a failure it
   * first releases the reserve and writes what fits of the held lines, always keeping room
   * for the last one (END). Safe to call twice.
   */
  close(): void {
    if (this.#closed) return;
    if (this.#failure === null && this.#pos > 0) {
      if (this.#put(this.#buf.subarray(0, this.#pos))) this.#pos = 0;
    }
    if (this.#failure !== null) this.#writeLast();
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    try {
      this.#file.close();
    } catch { /* already closed */ }
    if ((this.#o.reserveBytes ?? 0) > 0) removeQuietly(`${this.#path}.reserve`);
    this.#throwUnhandled();
  }

  /** Flushes `flushMs` from now, unless a flush is already due. */
  #armTimer(): void {
    const flushMs = this.#o.flushMs ?? 100;
    if (this.#timer !== undefined || flushMs <= 0 || this.#pos === 0) return;
    const timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushQuietly();
    }, flushMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #flushQuietly(): void {
    if (this.#failure !== null) return;
    try {
      this.flush();
    } catch { /* kept in #failure: thrown by the next call */ }
  }

  #throwUnhandled(): void {
    if (this.#failure !== null && this.#o.onError === undefined) throw this.#failure;
  }

  /** Writes whole lines; on failure cuts the file back to the last whole line. */
  #put(bytes: Uint8Array): boolean {
    try {
      writeAllSync(this.#file, bytes);
      this.#written += bytes.length;
      return true;
    } catch (err) {
      try {
        this.#file.truncateSync?.(this.#written);
        this.#file.seekSync?.(this.#written, Deno.SeekMode.Start);
      } catch { /* nothing more can be done */ }
      if (this.#failure === null) {
        const failure = new LogWriteError(this.#path, err);
        this.#failure = failure;
        const onError = this.#o.onError;
        if (onError) queueMicrotask(() => onError(failure));
      }
      return false;
    }
  }

  /** After a failure: release the reserve, write held lines within it, END last. */
  #writeLast(): void {
    const reserve = this.#o.reserveBytes ?? 0;
    if (reserve > 0) removeQuietly(`${this.#path}.reserve`);
    const held = this.#buf.subarray(0, this.#pos);
    this.#pos = 0;
    const lines: Uint8Array[] = [];
    for (let start = 0, nl = held.indexOf(10); nl !== -1; nl = held.indexOf(10, start)) {
      lines.push(held.subarray(start, nl + 1));
      start = nl + 1;
    }
    const last = this.#last ?? lines.pop();
    let budget = reserve - (last?.length ?? 0);
    let writing = true;
    for (const line of lines) {
      writing &&= line.length <= budget && this.#put(line);
      if (writing) budget -= line.length;
      else this.#count(eventName(line));
    }
    if (last === undefined) return;
    this.#endWritten = this.#put(last) && eventName(last) === "END";
    if (!this.#endWritten) this.#count(eventName(last));
  }

  #count(event: string): void {
    this.#lost.set(event, (this.#lost.get(event) ?? 0) + 1);
  }
}

/** The event name of an encoded line (`{"event": "NAME", …`). */
function eventName(line: Uint8Array): string {
  const m = /^\{"event": "([A-Z_]{1,20})"/.exec(new TextDecoder().decode(line.subarray(0, 40)));
  return m ? m[1] : "line";
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch { /* already gone */ }
}

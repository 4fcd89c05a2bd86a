/**
 * Buffered JSON-lines log file: many events per write, flushed at least every
 * `flushMs` (default 100 ms), when the buffer is large, and on close.
 *
 * @module
 */
import { formatEvent, type LogEvent } from "../core/log_schema.ts";
import { writeAllSync } from "./write_all.ts";
import { errorMessage } from "../core/errors.ts";

/** Options of {@linkcode LogWriter.open}. */
export interface LogWriterOptions {
  /** Flush at least this often (ms); 0 disables the timer (flush on size and close only). */
  flushMs?: number;
  /** Flush when this many characters are buffered; default 64 KiB. */
  maxBuffer?: number;
}

/**
 * Writes log events to a file, synchronously and buffered, so a shutdown path can always
 * flush the last lines (END) before the process exits.
 *
 * @example
 * ```ts
 * import { LogWriter } from "./log_writer.ts";
 * const log = LogWriter.open("/tmp/machine_1.log", { flushMs: 100 });
 * log.write({ event: "INTERNAL", system_time: 1, machine_id: 1, old_clock: 0, new_clock: 1 });
 * log.close();
 * ```
 */
export class LogWriter {
  #file: Deno.FsFile;
  #buf: Uint8Array;
  #pos = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #encoder = new TextEncoder();
  #closed = false;
  #lines = 0;

  private constructor(file: Deno.FsFile, options: LogWriterOptions) {
    this.#file = file;
    // Lines are encoded into this buffer as they come (no strings kept alive until a flush);
    // a UTF-16 unit takes at most 3 UTF-8 bytes.
    this.#buf = new Uint8Array(Math.max(1024, options.maxBuffer ?? 65536) * 3);
    const flushMs = options.flushMs ?? 100;
    if (flushMs > 0) {
      const timer = setInterval(() => this.flush(), flushMs);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  /** Creates (truncates) `path`, and its parent directories, and returns a writer for it. */
  static open(path: string, options: LogWriterOptions = {}): LogWriter {
    let file: Deno.FsFile;
    try {
      const slash = path.lastIndexOf("/");
      if (slash > 0) Deno.mkdirSync(path.slice(0, slash), { recursive: true });
      file = Deno.openSync(path, { write: true, create: true, truncate: true });
    } catch (err) {
      throw new Error(
        `Cannot open log file: current value is ${JSON.stringify(path)} (${errorMessage(err)})`,
        { cause: err },
      );
    }
    return new LogWriter(file, options);
  }

  /** Lines written (or buffered) so far. */
  get lines(): number {
    return this.#lines;
  }

  /** Buffers one event; flushes when the buffer is full. */
  write(event: LogEvent): void {
    if (this.#closed) throw new Error(`Cannot write ${event.event}: the log is closed`);
    const line = formatEvent(event);
    this.#lines++;
    const need = line.length * 3;
    if (this.#pos + need > this.#buf.length) {
      this.flush();
      if (need > this.#buf.length) return writeAllSync(this.#file, line);
    }
    this.#pos += this.#encoder.encodeInto(line, this.#buf.subarray(this.#pos)).written;
    if (this.#pos * 3 >= this.#buf.length) this.flush();
  }

  /** Writes everything buffered to the file. */
  flush(): void {
    if (this.#pos === 0 || this.#closed) return;
    const n = this.#pos;
    this.#pos = 0;
    writeAllSync(this.#file, this.#buf.subarray(0, n));
  }

  /** Flushes, stops the timer and closes the file. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#file.close();
  }
}

/**
 * Streams one log file in fixed-size chunks and yields its events one at a time, parsed into a
 * reused {@link EventLine}. Never holds more than a chunk (plus one line) in memory. With many
 * files the chunks are smaller and the file is opened only to read a chunk (`keepOpen: false`),
 * so a 1000-file analysis needs neither 1000 MiB of buffers nor 1000 file descriptors.
 *
 * @module
 */
import { EV_STARTUP, EventLine, KEY } from "./_event_line.ts";
import { checkEvent } from "./_event_schema.ts";
import { AnalysisError, fsProblem } from "./errors.ts";

/** Default chunk size. */
const CHUNK = 1 << 20;
/** Smallest chunk size. */
const MIN_CHUNK = 1 << 12;

/** Options of {@link LogReader}. */
export interface LogReaderOptions {
  /** Skip malformed lines (counted in {@link LogReader.skipped}) instead of failing. */
  lenient?: boolean;
  /** Called with warnings (`file:line: ...`). */
  warn?: (message: string) => void;
  /** Bytes read at a time (default 1 MiB, at least 4 KiB); longer lines grow the buffer. */
  chunkSize?: number;
  /** Keep the file open between chunks (default true); false opens it for each chunk. */
  keepOpen?: boolean;
}

/**
 * Reads a log file line by line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EV_END } from "./_event_line.ts";
 * import { LogReader } from "./_log_reader.ts";
 * const r = new LogReader("sample_logs/original_schema/machine_1.log");
 * let last = -1;
 * while (r.next()) last = r.line.event;
 * assert.deepEqual([last, r.lineNo, r.machineId, r.ids], [EV_END, 7, 1, false]);
 * r.close();
 * ```
 */
export class LogReader {
  #path: string;
  #line = new EventLine();
  #lineNo = 0;
  #skipped = 0;
  #firstSkipped = "";
  #truncated = false;
  #ids = false;
  #machineId = NaN;
  #file: Deno.FsFile | null = null;
  #keepOpen: boolean;
  #ino: number | null = null;
  #offset = 0;
  #closed = false;
  #buf: Uint8Array;
  #chunk: number;
  #lookahead: number;
  #pos = 0;
  #len = 0;
  #eof = false;
  #lenient: boolean;
  #warn: (m: string) => void;

  constructor(path: string, options: LogReaderOptions = {}) {
    this.#path = path;
    this.#lenient = options.lenient ?? false;
    this.#warn = options.warn ?? (() => {});
    this.#keepOpen = options.keepOpen ?? true;
    const chunk = Math.max(MIN_CHUNK, options.chunkSize ?? CHUNK);
    this.#chunk = chunk;
    this.#buf = new Uint8Array(chunk);
    // Bytes kept buffered ahead of the current line (longer lines take the slow path).
    this.#lookahead = chunk >> 4;
    const file = this.#open();
    try {
      this.#ino = file.statSync().ino;
    } catch { /* no inode: the replaced-file check is skipped */ }
    if (this.#keepOpen) this.#file = file;
    else file.close();
  }

  /** The file's path. */
  get path(): string {
    return this.#path;
  }

  /** The current event (valid after {@link next} returned true). */
  get line(): EventLine {
    return this.#line;
  }

  /** 1-based number of the current line. */
  get lineNo(): number {
    return this.#lineNo;
  }

  /** Malformed lines skipped (`--lenient`). */
  get skipped(): number {
    return this.#skipped;
  }

  /** First skipped line, as `file:line: reason`. */
  get firstSkipped(): string {
    return this.#firstSkipped;
  }

  /** Whether a truncated last line was dropped. */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Whether the file is in our schema (ids); decided by its first line. */
  get ids(): boolean {
    return this.#ids;
  }

  /** machine_id of the STARTUP line (NaN before it). */
  get machineId(): number {
    return this.#machineId;
  }

  /** Advances to the next valid event; false at the end of the file. */
  next(): boolean {
    for (;;) {
      if (this.#len - this.#pos < this.#lookahead && !this.#eof) this.#fill();
      if (this.#pos >= this.#len) return false;
      const line = this.#line;
      // Fast path: parse up to the buffer's end; the parser stops at the line's '\n'.
      let reason = line.parse(this.#buf, this.#pos, this.#len);
      let end = line.lineEnd;
      if (end < 0 || (end === this.#len && !this.#eof)) {
        // Malformed, or longer than the look-ahead: find the line's end, parse exactly it.
        end = this.#nextLine();
        reason = line.parse(this.#buf, this.#pos, end);
      }
      const hasNewline = end < this.#len;
      this.#pos = hasNewline ? end + 1 : end;
      this.#lineNo++;
      if (reason === "" && this.#lineNo === 1) {
        if (line.event !== EV_STARTUP) {
          reason = line.has(KEY.event) && line.event >= 0
            ? `Cannot read the log as its first event must be STARTUP: current value is "${
              line.str(KEY.event)
            }"`
            : checkEvent(line, { ids: false });
        } else this.#ids = line.has(KEY.port);
      }
      if (reason === "") reason = checkEvent(line, { ids: this.#ids });
      if (reason === "" && Number.isNaN(this.#machineId)) {
        this.#machineId = line.num[KEY.machine_id];
      } else if (reason === "" && line.num[KEY.machine_id] !== this.#machineId) {
        reason =
          `Cannot read the event as its machine_id must be the log's STARTUP machine_id ${this.#machineId}: current value is ${
            line.num[KEY.machine_id]
          }`;
      }
      if (reason === "") return true;
      const where = `${this.#path}:${this.#lineNo}`;
      if (!hasNewline && this.#eof) {
        this.#truncated = true;
        this.#warn(`${where}: truncated last line ignored (was the node killed?): ${reason}`);
        return false;
      }
      if (!this.#lenient) throw new AnalysisError(`${where}: ${reason}`);
      this.#skipped++;
      if (this.#firstSkipped === "") this.#firstSkipped = `${where}: ${reason}`;
    }
  }

  /** Ensures a whole line is buffered at #pos; returns its end (index of '\n' or #len), -1 at EOF. */
  #nextLine(): number {
    for (;;) {
      const nl = this.#buf.indexOf(0x0a, this.#pos);
      if (nl >= 0 && nl < this.#len) return nl;
      if (this.#eof) return this.#pos < this.#len ? this.#len : -1;
      this.#fill();
    }
  }

  #fill(): void {
    const rest = this.#len - this.#pos;
    if (this.#pos > 0 && this.#buf.length > this.#chunk && rest < this.#chunk >> 1) {
      // Past a line longer than the chunk (a STARTUP with 999 peers): back to the chunk's size.
      const smaller = new Uint8Array(this.#chunk);
      smaller.set(this.#buf.subarray(this.#pos, this.#len));
      this.#buf = smaller;
    } else if (this.#pos > 0) this.#buf.copyWithin(0, this.#pos, this.#len);
    else if (rest === this.#buf.length) {
      const bigger = new Uint8Array(this.#buf.length * 2);
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    this.#pos = 0;
    this.#len = rest;
    if (this.#closed) throw new AnalysisError(`Cannot read "${this.#path}": the reader is closed`);
    const file = this.#file ?? this.#reopen();
    let n: number | null;
    try {
      n = file.readSync(this.#buf.subarray(this.#len));
    } finally {
      if (!this.#keepOpen) file.close();
    }
    if (n === null || n === 0) this.#eof = true;
    else {
      this.#len += n;
      this.#offset += n;
    }
  }

  #open(): Deno.FsFile {
    try {
      return Deno.openSync(this.#path, { read: true });
    } catch (e) {
      throw new AnalysisError(`Cannot read log file "${this.#path}": ${fsProblem(e)}`, {
        cause: e,
      });
    }
  }

  /** Opens the file again where the last chunk ended (the same file: same inode). */
  #reopen(): Deno.FsFile {
    const ino = this.#ino;
    const file = this.#open();
    const now = file.statSync().ino;
    if (ino !== null && now !== ino) {
      file.close();
      throw new AnalysisError(
        `Cannot read log file "${this.#path}" as it was replaced during the analysis: current value is inode ${now} (was ${ino})`,
      );
    }
    file.seekSync(this.#offset, Deno.SeekMode.Start);
    return file;
  }

  /** Closes the file (idempotent). */
  close(): void {
    this.#closed = true;
    this.#file?.close();
    this.#file = null;
  }
}

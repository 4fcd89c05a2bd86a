/**
 * One machine's events as one stream: its log files (incarnations, in time order) read one
 * after the other, so a restarted node is merged as one machine and holds one open reader.
 *
 * @module
 */
import type { LogFileInfo } from "./log_files.ts";
import { LogReader, type LogReaderOptions } from "./_log_reader.ts";

/** What reading one file found besides its events. */
export interface ReadStats {
  /** Malformed lines skipped (`--lenient`). */
  skipped: number;
  /** The first of them, `file:line: reason`. */
  firstSkipped: string;
  /** Whether a cut last line was dropped. */
  truncated: boolean;
  /** Number of the file's last line read. */
  lines: number;
}

/**
 * Reads a machine's files in order.
 *
 * @example
 * ```ts
 * import { MachineStream } from "./_machine_stream.ts";
 * import { probeLogFile } from "./log_files.ts";
 * import assert from "node:assert/strict";
 * const s = new MachineStream([probeLogFile("sample_logs/original_schema/machine_1.log")]);
 * let n = 0;
 * while (s.next()) n++;
 * s.close();
 * assert.equal(n, s.stats[0].lines);
 * ```
 */
export class MachineStream {
  /** The files, in reading order. */
  readonly files: LogFileInfo[];
  /** Per file: skipped and truncated lines (complete once the file is read). */
  readonly stats: ReadStats[];
  #options: LogReaderOptions;
  #reader: LogReader | null = null;
  #index = 0;

  /** Opens the first file. */
  constructor(files: LogFileInfo[], options: LogReaderOptions = {}) {
    this.files = files;
    this.#options = options;
    this.stats = files.map(() => ({ skipped: 0, firstSkipped: "", truncated: false, lines: 0 }));
    this.#reader = new LogReader(files[0].path, options);
  }

  /** The reader of the current file (its `line`, `lineNo`, `path`). */
  get reader(): LogReader {
    return this.#reader!;
  }

  /** Index of the current file (the incarnation within the machine). */
  get index(): number {
    return this.#index;
  }

  /** Advances to the next event, moving on to the next file at the end of one. */
  next(): boolean {
    while (this.#reader !== null) {
      if (this.#reader.next()) return true;
      this.#closeCurrent();
      if (this.#index + 1 >= this.files.length) return false;
      this.#index++;
      this.#reader = new LogReader(this.files[this.#index].path, this.#options);
    }
    return false;
  }

  #closeCurrent(): void {
    const r = this.#reader!;
    const st = this.stats[this.#index];
    st.skipped = r.skipped;
    st.firstSkipped = r.firstSkipped;
    st.truncated = r.truncated;
    st.lines = r.lineNo;
    r.close();
    this.#reader = null;
  }

  /** Closes the current file (idempotent). */
  close(): void {
    if (this.#reader !== null) this.#closeCurrent();
  }
}

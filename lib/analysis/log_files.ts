/**
 * Probes each log file cheaply: its first line (STARTUP: machine id, clock rate, schema) and
 * the time of its last complete line, so the run's time range is known before the streaming
 * pass; and groups the files by machine (a restarted node's logs are its incarnations).
 *
 * @module
 */
import { EV_STARTUP, EventLine, KEY } from "./_event_line.ts";
import { AnalysisError, fsProblem } from "./errors.ts";

/** What the probe learned about one log file. */
export interface LogFileInfo {
  /** Path as given (or found in a directory). */
  path: string;
  /** machine_id of the STARTUP line. */
  machineId: number;
  /** clock_rate of the STARTUP line. */
  clockRate: number;
  /** `port` of the STARTUP line (our schema), else null. */
  port: number | null;
  /** Whether the log is in our schema (message ids). */
  ids: boolean;
  /** STARTUP `session` (the node process's incarnation), null when not logged. */
  session: number | null;
  /** system_time of the first line. */
  firstTime: number;
  /** system_time of the last complete, parseable line. */
  lastTime: number;
}

/** First read size at the head and the tail of a file (longer lines grow it). */
const WINDOW = 1 << 16;

/**
 * Probes one log file: its first line (which may be of any length) and its last complete,
 * parseable line, read from the end in growing windows.
 *
 * @example
 * ```ts
 * import { probeLogFile } from "./log_files.ts";
 * import assert from "node:assert/strict";
 * assert.equal(probeLogFile("sample_logs/original_schema/machine_1.log").machineId, 1);
 * ```
 */
export function probeLogFile(path: string): LogFileInfo {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (e) {
    throw new AnalysisError(`Cannot read log file "${path}": ${fsProblem(e)}`, { cause: e });
  }
  try {
    const size = file.statSync().size;
    if (size === 0) {
      throw new AnalysisError(`Cannot analyze "${path}" as the log file is empty: no STARTUP line`);
    }
    const head = firstLine(file, size);
    const line = new EventLine();
    const reason = line.parse(head, 0, head.length);
    if (reason !== "") throw new AnalysisError(`${path}:1: ${reason}`);
    if (line.event !== EV_STARTUP || !line.has(KEY.machine_id) || !line.has(KEY.system_time)) {
      const got = line.has(KEY.event) ? `"${line.str(KEY.event)}"` : "no event";
      throw new AnalysisError(
        `${path}:1: Cannot read the log as its first event must be STARTUP with machine_id and system_time: current value is ${got}`,
      );
    }
    const info: LogFileInfo = {
      path,
      machineId: line.num[KEY.machine_id],
      clockRate: line.has(KEY.clock_rate) ? line.num[KEY.clock_rate] : NaN,
      port: line.has(KEY.port) ? line.num[KEY.port] : null,
      ids: line.has(KEY.port),
      session: line.has(KEY.session) ? line.num[KEY.session] : null,
      firstTime: line.num[KEY.system_time],
      lastTime: line.num[KEY.system_time],
    };
    const last = lastTime(file, size, line);
    if (last !== null) info.lastTime = Math.max(info.firstTime, last);
    return info;
  } finally {
    file.close();
  }
}

/** The log files of one machine: one per incarnation (node process), in time order. */
export interface MachineFiles {
  /** machine_id. */
  machineId: number;
  /** Its files, earliest first. */
  files: LogFileInfo[];
}

/**
 * Groups files by machine_id (in the order machines first appear). Several files of one machine
 * are its incarnations — a node restarted with the same id — only when every one names a
 * distinct STARTUP `session` and their time ranges do not overlap; otherwise (two runs mixed,
 * the same file twice) it is an error naming both files.
 *
 * @example
 * ```ts
 * import { groupMachines, probeLogFile } from "./log_files.ts";
 * import assert from "node:assert/strict";
 * const files = ["machine_1.log", "machine_2.log"].map((f) =>
 *   probeLogFile(`sample_logs/original_schema/${f}`)
 * );
 * assert.deepEqual(groupMachines(files).map((m) => m.machineId), [1, 2]);
 * ```
 */
export function groupMachines(files: LogFileInfo[]): MachineFiles[] {
  const byId = new Map<number, MachineFiles>();
  for (const f of files) {
    const m = byId.get(f.machineId);
    if (m === undefined) byId.set(f.machineId, { machineId: f.machineId, files: [f] });
    else m.files.push(f);
  }
  for (const m of byId.values()) {
    m.files.sort((a, b) => a.firstTime - b.firstTime);
    for (let i = 1; i < m.files.length; i++) {
      const a = m.files[i - 1], b = m.files[i];
      const both = `Cannot analyze "${a.path}" and "${b.path}" together`;
      const sessions = m.files.map((f) => f.session);
      if (a.session === null || b.session === null) {
        throw new AnalysisError(
          `${both}: both are machine ${m.machineId} and ${
            a.session === null ? "the first" : "the second"
          } has no STARTUP session, so they cannot be two incarnations of one node (analyze one run at a time)`,
        );
      }
      if (sessions.indexOf(b.session) !== i) {
        const first = m.files[sessions.indexOf(b.session)];
        throw new AnalysisError(
          `Cannot analyze "${first.path}" and "${b.path}" together: both are machine ${m.machineId} with session ${b.session}, and one node process cannot have two logs (the same log given twice?)`,
        );
      }
      if (b.firstTime < a.lastTime) {
        throw new AnalysisError(
          `${both}: both are machine ${m.machineId} and their times overlap (the first runs until ${a.lastTime}, the second starts at ${b.firstTime}), so they are not one node restarted (analyze one run at a time)`,
        );
      }
    }
  }
  return [...byId.values()];
}

/**
 * The bytes of an open file's first line (without its newline), however long it is; `size` is
 * the file's size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstLine } from "./log_files.ts";
 * const path = "sample_logs/original_schema/machine_1.log";
 * using file = Deno.openSync(path);
 * const head = new TextDecoder().decode(firstLine(file, Deno.statSync(path).size));
 * assert.match(head, /^\{"event": "STARTUP"/);
 * ```
 */
export function firstLine(file: Deno.FsFile, size: number): Uint8Array {
  let buf = new Uint8Array(Math.min(size, WINDOW));
  let len = 0, from = 0;
  for (;;) {
    len += readFully(file, buf.subarray(len));
    const nl = buf.subarray(from, len).indexOf(0x0a);
    if (nl >= 0) return buf.subarray(0, from + nl);
    if (len >= size || len < buf.length) return buf.subarray(0, len);
    from = len;
    const bigger = new Uint8Array(Math.min(size, buf.length * 2));
    bigger.set(buf);
    buf = bigger;
  }
}

/**
 * system_time of the last complete line that parses (a cut last line is skipped), or null;
 * reads windows from the end, doubling until a whole line fits.
 */
function lastTime(file: Deno.FsFile, size: number, line: EventLine): number | null {
  let window = Math.min(size, WINDOW);
  for (;;) {
    const tail = new Uint8Array(window);
    file.seekSync(size - window, Deno.SeekMode.Start);
    readFully(file, tail);
    let end = tail.length;
    while (end > 0) {
      const start = tail.lastIndexOf(0x0a, end - 1) + 1;
      if (start === 0 && window < size) break; // the line may begin before the window
      if (start < end && line.parse(tail, start, end) === "" && line.has(KEY.system_time)) {
        return line.num[KEY.system_time];
      }
      end = start - 1;
    }
    if (window === size) return null;
    window = Math.min(size, window * 2);
  }
}

function readFully(file: Deno.FsFile, into: Uint8Array): number {
  let off = 0;
  while (off < into.length) {
    const n = file.readSync(into.subarray(off));
    if (n === null || n === 0) break;
    off += n;
  }
  return off;
}

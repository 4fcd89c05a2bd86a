/**
 * Turns the command-line arguments into the list of log files and probes each one cheaply:
 * its first line (STARTUP: machine id, clock rate, schema) and the time of its last complete
 * line, so the run's time range is known before the streaming pass.
 *
 * @module
 */
import { EV_STARTUP, EventLine, K } from "./_event_line.ts";
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
 * Expands arguments: files are kept, a directory contributes its `*.log` files (sorted).
 *
 * @example
 * ```ts
 * import { resolveLogPaths } from "./log_files.ts";
 * resolveLogPaths(["sample_logs/original_schema"]); // [".../machine_1.log", ...]
 * ```
 */
export function resolveLogPaths(args: string[]): string[] {
  if (args.length === 0) {
    throw new AnalysisError(
      "Cannot analyze: no log files given: current value is [] (pass files or a directory)",
    );
  }
  const out: string[] = [];
  for (const arg of args) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(arg);
    } catch (e) {
      throw new AnalysisError(`Cannot read ${arg}: current value is ${errText(e)}`);
    }
    if (info.isDirectory) {
      // Logs collected from several hosts may sit one level down (`collected/<host>/*.log`).
      const dir = arg.replace(/\/+$/, "");
      let logs = logsIn(dir);
      if (logs.length === 0) {
        logs = [...Deno.readDirSync(dir)].filter((d) => d.isDirectory).map((d) => d.name).sort()
          .flatMap((name) => logsIn(`${dir}/${name}`));
      }
      if (logs.length === 0) {
        throw new AnalysisError(
          `Cannot analyze directory ${arg}: it has no *.log files: current value is ${
            [...Deno.readDirSync(arg)].length
          } entries`,
        );
      }
      out.push(...logs);
    } else out.push(arg);
  }
  return out;
}

function logsIn(dir: string): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((d) => d.isFile && d.name.endsWith(".log"))
    .map((d) => `${dir}/${d.name}`)
    .sort();
}

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
    if (size === 0) throw new AnalysisError(`Cannot analyze ${path}: the file is empty`);
    const head = firstLine(file, size);
    const line = new EventLine();
    const reason = line.parse(head, 0, head.length);
    if (reason !== "") throw new AnalysisError(`${path}:1: ${reason}`);
    if (line.event !== EV_STARTUP || !line.has(K.machine_id) || !line.has(K.system_time)) {
      const got = line.has(K.event) ? line.str(K.event) : "(no event)";
      throw new AnalysisError(
        `${path}:1: Cannot read log: the first event must be STARTUP with machine_id and system_time: current value is ${got}`,
      );
    }
    const info: LogFileInfo = {
      path,
      machineId: line.num[K.machine_id],
      clockRate: line.has(K.clock_rate) ? line.num[K.clock_rate] : NaN,
      port: line.has(K.port) ? line.num[K.port] : null,
      ids: line.has(K.port),
      session: line.has(K.session) ? line.num[K.session] : null,
      firstTime: line.num[K.system_time],
      lastTime: line.num[K.system_time],
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
      const both = `"${a.path}" and "${b.path}"`;
      const prefix = `Cannot analyze: machine_id ${m.machineId} appears in two files: ${both}`;
      const sessions = m.files.map((f) => f.session);
      if (a.session === null || b.session === null) {
        throw new AnalysisError(
          `${prefix}: current value is no STARTUP session in ${
            a.session === null ? "the first" : "the second"
          } (without sessions they cannot be two incarnations of one node: analyze one run at a time)`,
        );
      }
      if (sessions.indexOf(b.session) !== i) {
        const first = m.files[sessions.indexOf(b.session)];
        throw new AnalysisError(
          `Cannot analyze: machine_id ${m.machineId} appears in two files with the same session ${b.session}: "${first.path}" and "${b.path}" (the same node process cannot have two logs)`,
        );
      }
      if (b.firstTime < a.lastTime) {
        throw new AnalysisError(
          `${prefix}: current value is overlapping times (the first runs until ${a.lastTime}, the second starts at ${b.firstTime}): a restarted node's logs follow one another`,
        );
      }
    }
  }
  return [...byId.values()];
}

/** The bytes of the file's first line (without its newline), however long it is. */
function firstLine(file: Deno.FsFile, size: number): Uint8Array {
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
      if (start < end && line.parse(tail, start, end) === "" && line.has(K.system_time)) {
        return line.num[K.system_time];
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

/**
 * Text of an error for messages.
 *
 * @example
 * ```ts
 * import { errText } from "./log_files.ts";
 * errText(new Error("boom")); // "boom"
 * ```
 */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

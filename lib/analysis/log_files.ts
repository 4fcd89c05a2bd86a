/**
 * Turns the command-line arguments into the list of log files and probes each one cheaply:
 * its first line (STARTUP: machine id, clock rate, schema) and the time of its last complete
 * line, so the run's time range is known before the streaming pass.
 *
 * @module
 */
import { EV_STARTUP, EventLine, K } from "./_event_line.ts";
import { AnalysisError } from "./errors.ts";

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
  /** system_time of the first line. */
  firstTime: number;
  /** system_time of the last complete, parseable line. */
  lastTime: number;
}

const TAIL = 1 << 16;

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
      const logs = [...Deno.readDirSync(arg)]
        .filter((d) => d.isFile && d.name.endsWith(".log"))
        .map((d) => `${arg.replace(/\/+$/, "")}/${d.name}`)
        .sort();
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

/**
 * Probes one log file (first line, last complete line).
 *
 * @example
 * ```ts
 * import { probeLogFile } from "./log_files.ts";
 * probeLogFile("sample_logs/original_schema/machine_1.log").machineId; // 1
 * ```
 */
export function probeLogFile(path: string): LogFileInfo {
  const file = Deno.openSync(path, { read: true });
  try {
    const size = file.statSync().size;
    if (size === 0) throw new AnalysisError(`Cannot analyze ${path}: the file is empty`);
    const head = new Uint8Array(Math.min(size, TAIL));
    readFully(file, head);
    let nl = head.indexOf(0x0a);
    if (nl < 0) nl = head.length;
    const line = new EventLine();
    const reason = line.parse(head, 0, nl);
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
      firstTime: line.num[K.system_time],
      lastTime: line.num[K.system_time],
    };
    const tail = new Uint8Array(Math.min(size, TAIL));
    file.seekSync(size - tail.length, Deno.SeekMode.Start);
    readFully(file, tail);
    let end = tail.length;
    while (end > 0) {
      const start = tail.lastIndexOf(0x0a, end - 1) + 1;
      if (start === 0 && size > tail.length) break; // line may be cut by the tail window
      if (start < end && line.parse(tail, start, end) === "" && line.has(K.system_time)) {
        info.lastTime = Math.max(info.firstTime, line.num[K.system_time]);
        break;
      }
      end = start - 1;
    }
    return info;
  } finally {
    file.close();
  }
}

/**
 * Rejects two files with the same machine_id, naming both.
 *
 * @example
 * ```ts
 * import { checkDistinctMachines } from "./log_files.ts";
 * checkDistinctMachines([]); // ok
 * ```
 */
export function checkDistinctMachines(files: LogFileInfo[]): void {
  const seen = new Map<number, string>();
  for (const f of files) {
    const other = seen.get(f.machineId);
    if (other !== undefined) {
      throw new AnalysisError(
        `Cannot analyze: machine_id ${f.machineId} appears in two files: ${other} and ${f.path}`,
      );
    }
    seen.set(f.machineId, f.path);
  }
}

function readFully(file: Deno.FsFile, into: Uint8Array): void {
  let off = 0;
  while (off < into.length) {
    const n = file.readSync(into.subarray(off));
    if (n === null || n === 0) break;
    off += n;
  }
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

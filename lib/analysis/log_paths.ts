/**
 * Turns the command-line arguments into the list of log files: files as given, a run
 * directory's `*.log` files, logs collected per host one directory down; and says what to
 * pass instead when a directory holds several runs.
 *
 * @module
 */
import { EventLine, KEY } from "./_event_line.ts";
import { AnalysisError, fsProblem } from "./errors.ts";
import { firstLine } from "./log_files.ts";

/**
 * Expands arguments: files are kept, a directory contributes its `*.log` files (sorted). A
 * directory without logs that holds run directories (the `logs/` parent of several runs) is an
 * error naming them and the newest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveLogPaths } from "./log_paths.ts";
 * assert.deepEqual(resolveLogPaths(["sample_logs/original_schema"]), [
 *   "sample_logs/original_schema/machine_1.log",
 *   "sample_logs/original_schema/machine_2.log",
 *   "sample_logs/original_schema/machine_3.log",
 * ]);
 * assert.throws(() => resolveLogPaths(["sample_logs"]), /holds no \*\.log files but 2 run directories/);
 * ```
 */
export function resolveLogPaths(args: string[]): string[] {
  if (args.length === 0) {
    throw new AnalysisError(
      "Cannot analyze as no logs are given: pass a run's directory (deno task analyze logs/run_X) or its *.log files",
    );
  }
  const out: string[] = [];
  for (const arg of args) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(arg);
    } catch (e) {
      const what = arg.endsWith(".log") ? "log file" : "logs from";
      throw new AnalysisError(`Cannot read ${what} "${arg}": ${fsProblem(e)}`, { cause: e });
    }
    if (!info.isDirectory) {
      out.push(arg);
      continue;
    }
    const dir = arg.replace(/\/+$/, "") || "/";
    const logs = logsIn(dir);
    out.push(...(logs.length > 0 ? logs : logsOneLevelDown(dir)));
  }
  return out;
}

/** The `*.log` files of directory `dir`, sorted. */
function logsIn(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)]
      .filter((d) => d.isFile && d.name.endsWith(".log"))
      .map((d) => `${dir.replace(/\/+$/, "")}/${d.name}`)
      .sort();
  } catch (e) {
    throw new AnalysisError(`Cannot read the directory "${dir}": ${fsProblem(e)}`, { cause: e });
  }
}

/** The subdirectories of `dir` that hold `*.log` files, with them (sorted by name). */
function subdirLogs(dir: string): { path: string; logs: string[] }[] {
  const base = dir === "/" ? "" : dir;
  const out: { path: string; logs: string[] }[] = [];
  for (const d of [...Deno.readDirSync(dir)].filter((d) => d.isDirectory)) {
    const path = `${base}/${d.name}`;
    try {
      const logs = logsIn(path);
      if (logs.length > 0) out.push({ path, logs });
    } catch { /* unreadable: not offered */ }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * The logs one directory down: logs collected per host (`collected/<host>/*.log`, each machine
 * in one directory) are one run; directories that share machine ids are several runs, an error
 * naming them.
 */
function logsOneLevelDown(dir: string): string[] {
  const subs = subdirLogs(dir);
  if (subs.length === 0) throw noLogs(dir, subs);
  const seen = new Map<number, string>();
  for (const sub of subs) {
    for (const log of sub.logs) {
      const id = firstMachineId(log);
      if (id === null) continue;
      const other = seen.get(id);
      if (other !== undefined && other !== sub.path) throw noLogs(dir, subs);
      seen.set(id, sub.path);
    }
  }
  return subs.flatMap((sub) => sub.logs);
}

/** The machine_id of a log's first line, or null when it cannot be read. */
function firstMachineId(path: string): number | null {
  try {
    const file = Deno.openSync(path, { read: true });
    try {
      const head = firstLine(file, file.statSync().size);
      const line = new EventLine();
      return line.parse(head, 0, head.length) === "" && line.has(KEY.machine_id)
        ? line.num[KEY.machine_id]
        : null;
    } finally {
      file.close();
    }
  } catch {
    return null;
  }
}

/** The error for a directory without logs of one run: its run directories, newest first. */
function noLogs(dir: string, subs: { path: string; logs: string[] }[]): AnalysisError {
  const base = dir === "/" ? "" : dir;
  const runs = subs.map((sub) => ({
    path: sub.path,
    time: Math.max(...sub.logs.map((f) => {
      try {
        return Deno.statSync(f).mtime?.getTime() ?? 0;
      } catch {
        return 0;
      }
    })),
  }));
  if (runs.length === 0) {
    return new AnalysisError(
      `Cannot analyze "${dir}" as it holds no *.log files: pass a run's directory (logs/run_X) or its *.log files`,
    );
  }
  runs.sort((a, b) => b.time - a.time || (a.path < b.path ? 1 : -1));
  const names = runs.map((r) => r.path.slice(base.length + 1));
  const shown = names.length > 5
    ? `${names.slice(0, 5).join(", ")}, and ${names.length - 5} more`
    : names.join(", ");
  const n = runs.length;
  return new AnalysisError(
    `Cannot analyze "${dir}" as it holds no *.log files but ${n} run directories (newest first: ${shown}): analyze one run, e.g. the newest: deno task analyze ${
      runs[0].path
    }`,
  );
}

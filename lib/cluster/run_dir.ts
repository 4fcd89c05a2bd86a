/**
 * The log directory of a run: `logs/run_YYYY-MM-DD_HH-MM-SS`, made unique (`_2`, `_3`, …) when
 * another run started in the same second, created atomically so two runs never share one.
 *
 * @module
 */
import { errorMessage } from "../core/errors.ts";

/**
 * `run_YYYY-MM-DD_HH-MM-SS` for `date` in local time (the original's name).
 *
 * @example
 * ```ts
 * import { runDirName } from "./run_dir.ts";
 * runDirName(new Date(2025, 2, 5, 15, 30, 1)); // "run_2025-03-05_15-30-01"
 * ```
 */
export function runDirName(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `run_${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}_` +
    `${p(date.getHours())}-${p(date.getMinutes())}-${p(date.getSeconds())}`;
}

/**
 * Creates a fresh run directory under `root` and returns its path. `mkdir` without
 * `recursive` fails when the name exists, so a second run in the same second (even in another
 * process) gets `<name>_2`, then `_3`, …
 *
 * @example
 * ```ts ignore
 * import { createRunDir } from "./run_dir.ts";
 * const dir = createRunDir("logs"); // "logs/run_2026-11-28_03-14-00"
 * ```
 */
export function createRunDir(root: string, options: { now?: Date } = {}): string {
  const base = `${root.replace(/\/+$/, "") || "."}/${runDirName(options.now ?? new Date())}`;
  ensureDir(root);
  for (let n = 1; n < 10000; n++) {
    const path = n === 1 ? base : `${base}_${n}`;
    try {
      Deno.mkdirSync(path);
      return path;
    } catch (err) {
      if (err instanceof Deno.errors.AlreadyExists) continue;
      throw new Error(
        `Cannot create run directory: current value is ${JSON.stringify(path)} (${
          errorMessage(err)
        })`,
        { cause: err },
      );
    }
  }
  throw new Error(
    `Cannot create run directory: current value is ${JSON.stringify(base)} ` +
      `(all 9999 suffixes taken)`,
  );
}

/**
 * Creates `dir` (and its parents) when missing; a clear error when that is not possible.
 *
 * @example
 * ```ts ignore
 * import { ensureDir } from "./run_dir.ts";
 * ensureDir("logs/mine");
 * ```
 */
export function ensureDir(dir: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(
      `Cannot create log directory: current value is ${JSON.stringify(dir)} (${errorMessage(err)})`,
      { cause: err },
    );
  }
}

/**
 * Refuses a reused `--logs-dir` that holds node logs this run would not overwrite (ids above
 * `count`): analyzing the directory would mix two runs.
 *
 * @example
 * ```ts ignore
 * import { checkReusedDir } from "./run_dir.ts";
 * checkReusedDir("logs/mine", 3); // throws if logs/mine/machine_4.log exists
 * ```
 */
export function checkReusedDir(dir: string, count: number): void {
  const stale: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const m = /^machine_(\d+)\.log$/.exec(entry.name);
    if (m && Number(m[1]) > count) stale.push(entry.name);
  }
  if (stale.length > 0) {
    stale.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    throw new Error(
      `Cannot use --logs-dir ${JSON.stringify(dir)}: it holds logs of another run: current ` +
        `value is ${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", …" : ""} ` +
        `(this run writes machine_1..${count}.log; use an empty directory)`,
    );
  }
}

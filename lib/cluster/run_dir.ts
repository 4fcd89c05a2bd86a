/**
 * The log directory of a run: `logs/run_YYYY-MM-DD_HH-MM-SS`, made unique (`_2`, `_3`, …) when
 * another run started in the same second, created atomically so two runs never share one.
 *
 * @module
 */
import { osReason } from "../io/os_error.ts";

/**
 * `run_YYYY-MM-DD_HH-MM-SS` for `date` in local time (the original's name).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runDirName } from "./run_dir.ts";
 * assert.equal(runDirName(new Date(2025, 2, 5, 15, 30, 1)), "run_2025-03-05_15-30-01");
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
 * process) gets `<name>_2`, then `_3`, … `kind` replaces the `run` of the name (default
 * `"run"`; the experiment's directories are `experiment_<time>`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRunDir } from "./run_dir.ts";
 * const root = Deno.makeTempDirSync();
 * const now = new Date(2026, 10, 28, 3, 14, 0);
 * assert.equal(createRunDir(root, { now }), `${root}/run_2026-11-28_03-14-00`);
 * assert.equal(createRunDir(root, { now }), `${root}/run_2026-11-28_03-14-00_2`);
 * Deno.removeSync(root, { recursive: true });
 * ```
 */
export function createRunDir(
  root: string,
  options: { now?: Date; kind?: string } = {},
): string {
  const kind = options.kind ?? "run";
  const name = runDirName(options.now ?? new Date()).replace(/^run_/, `${kind}_`);
  const base = `${root.replace(/\/+$/, "") || "."}/${name}`;
  ensureDir(root);
  for (let n = 1; n < 10000; n++) {
    const path = n === 1 ? base : `${base}_${n}`;
    try {
      Deno.mkdirSync(path);
      return path;
    } catch (err) {
      if (err instanceof Deno.errors.AlreadyExists) continue;
      throw new Error(
        `Cannot create ${kind} directory ${JSON.stringify(path)}: ${osReason(err)}`,
        { cause: err },
      );
    }
  }
  throw new Error(
    `Cannot create ${kind} directory ${JSON.stringify(base)} as all 9999 suffixes are taken: ` +
      `current value is ${JSON.stringify(`${base}_9999`)}`,
  );
}

/**
 * Creates `dir` (and its parents) when missing; a clear error when that is not possible.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureDir } from "./run_dir.ts";
 * const root = Deno.makeTempDirSync();
 * ensureDir(`${root}/logs/mine`);
 * assert.ok(Deno.statSync(`${root}/logs/mine`).isDirectory);
 * Deno.writeTextFileSync(`${root}/file`, "");
 * assert.throws(() => ensureDir(`${root}/file/mine`), /^Error: Cannot create log directory ".*\/file\/mine": /);
 * Deno.removeSync(root, { recursive: true });
 * ```
 */
export function ensureDir(dir: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`Cannot create log directory ${JSON.stringify(dir)}: ${osReason(err)}`, {
      cause: err,
    });
  }
}

/**
 * Refuses a reused `--logs-dir` that holds node logs this run would not overwrite (ids above
 * `count`): analyzing the directory would mix two runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkReusedDir } from "./run_dir.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/machine_4.log`, "");
 * assert.doesNotThrow(() => checkReusedDir(dir, 4));
 * assert.throws(() => checkReusedDir(dir, 3), /current logs include machine_4\.log/);
 * Deno.removeSync(dir, { recursive: true });
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
      `Cannot use --logs-dir ${JSON.stringify(dir)} as it holds logs of another run: current ` +
        `logs include ${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", …" : ""} ` +
        `(this run writes machine_1..${count}.log; use an empty directory)`,
    );
  }
}

/** The log directory of one run and how to take back what the run created in it. */
export interface RunDir {
  /** The directory. */
  readonly path: string;
  /**
   * Removes what this run created (a run that failed before its common start): the directory
   * itself when the run created it, else the node logs it created or rewrote. Never touches
   * anything else. Returns what was removed, in words.
   */
  discard(): string;
}

/**
 * The directory of a run: a fresh `logs/run_<time>` (see {@linkcode createRunDir}), or the
 * given `--logs-dir` (created if missing; refused when it holds logs of another run, see
 * {@linkcode checkReusedDir}). Remembers what existed before, so that
 * {@linkcode RunDir.discard} removes only what the run created.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimRunDir } from "./run_dir.ts";
 * const root = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${root}/notes.txt`, "mine");
 * const dir = claimRunDir({ logsDir: root, count: 2 });
 * Deno.writeTextFileSync(`${root}/machine_1.log`, "stub");
 * assert.equal(dir.discard(), `removed machine_1.log from "${root}"`);
 * assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["notes.txt"]);
 * const fresh = claimRunDir({ logsDir: `${root}/a/b`, count: 2 });
 * assert.equal(fresh.discard(), `removed "${root}/a"`);
 * Deno.removeSync(root, { recursive: true });
 * ```
 */
export function claimRunDir(options: { logsDir?: string; root?: string; count: number }): RunDir {
  if (options.logsDir === undefined) {
    const path = createRunDir(options.root ?? "logs");
    return { path, discard: () => removeTree(path) };
  }
  const path = options.logsDir;
  const top = firstMissing(path);
  ensureDir(path);
  if (top !== null) return { path, discard: () => removeTree(top) };
  checkReusedDir(path, options.count);
  const before = new Map<string, string>();
  const names = Array.from({ length: options.count }, (_, i) => `machine_${i + 1}.log`);
  for (const name of [...names, ...names.map((n) => `${n}.reserve`)]) {
    const id = fileId(`${path}/${name}`);
    if (id !== null) before.set(name, id);
  }
  return {
    path,
    discard() {
      const removed: string[] = [];
      for (const name of [...names, ...names.map((n) => `${n}.reserve`)]) {
        const id = fileId(`${path}/${name}`);
        if (id === null || id === before.get(name)) continue;
        try {
          Deno.removeSync(`${path}/${name}`);
          removed.push(name);
        } catch { /* gone already */ }
      }
      return removed.length === 0
        ? `nothing to remove in ${JSON.stringify(path)}`
        : `removed ${removed.join(", ")} from ${JSON.stringify(path)}`;
    },
  };
}

/**
 * The topmost of `path` and its ancestors that do not exist (what `mkdir -p` would create), or
 * `null` when `path` exists. An ancestor this process may not look at counts as existing.
 */
function firstMissing(path: string): string | null {
  let top: string | null = null;
  for (let p = path.replace(/\/+$/, ""); p !== "" && p !== "." && p !== "/";) {
    try {
      Deno.statSync(p);
      return top;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) return top;
    }
    top = p;
    const slash = p.lastIndexOf("/");
    p = slash <= 0 ? "" : p.slice(0, slash);
  }
  return top;
}

/** A file's identity and content state (inode, size, mtime), or `null` when it is missing. */
function fileId(path: string): string | null {
  try {
    const s = Deno.statSync(path);
    return `${s.ino}:${s.size}:${s.mtime?.getTime()}`;
  } catch {
    return null;
  }
}

function removeTree(path: string): string {
  try {
    Deno.removeSync(path, { recursive: true });
    return `removed ${JSON.stringify(path)}`;
  } catch (err) {
    return `could not remove ${JSON.stringify(path)} (${osReason(err)})`;
  }
}

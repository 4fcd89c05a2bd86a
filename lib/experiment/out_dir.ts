/**
 * The experiment's output directory: a fresh `logs/experiment_YYYY-MM-DD_HH-MM-SS` (made
 * unique like a run directory), or a `--out` directory that is new or empty, so one
 * experiment's trials never mix with another's.
 *
 * @module
 */
import { osReason } from "../io/os_error.ts";
import { createRunDir } from "../cluster/run_dir.ts";

/**
 * Creates a fresh `experiment_<time>` directory under `root` and returns its path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createExperimentDir } from "./out_dir.ts";
 * const root = Deno.makeTempDirSync();
 * const now = new Date(2026, 10, 28, 3, 14, 0);
 * assert.equal(createExperimentDir(root, { now }), `${root}/experiment_2026-11-28_03-14-00`);
 * assert.equal(createExperimentDir(root, { now }), `${root}/experiment_2026-11-28_03-14-00_2`);
 * Deno.removeSync(root, { recursive: true });
 * ```
 */
export function createExperimentDir(root: string, options: { now?: Date } = {}): string {
  return createRunDir(root, { ...options, kind: "experiment" });
}

/**
 * Why `dir` cannot take an experiment's outputs (it is a file, or a directory that is not
 * empty), or null when it can; creates it when missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareOutDir } from "./out_dir.ts";
 * const root = Deno.makeTempDirSync();
 * assert.equal(prepareOutDir(`${root}/mine`), null); // created
 * Deno.writeTextFileSync(`${root}/mine/old.log`, "");
 * assert.match(prepareOutDir(`${root}/mine`)!, /current directory holds old.log \(want a new or empty/);
 * Deno.removeSync(root, { recursive: true });
 * ```
 */
export function prepareOutDir(dir: string): string | null {
  let entries: string[];
  try {
    entries = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      return `Cannot use --out "${dir}": ${osReason(err)}`;
    }
    try {
      Deno.mkdirSync(dir, { recursive: true });
      return null;
    } catch (err2) {
      return `Cannot use --out "${dir}": ${osReason(err2)}`;
    }
  }
  if (entries.length === 0) return null;
  return `Cannot use --out "${dir}": current directory holds ${entries.slice(0, 3).join(", ")}` +
    `${entries.length > 3 ? ", …" : ""} (want a new or empty directory, so experiments never mix)`;
}

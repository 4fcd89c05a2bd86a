/**
 * The experiment's output directory: a fresh `logs/experiment_YYYY-MM-DD_HH-MM-SS` (made
 * unique like a run directory), or a `--out` directory that is new or empty, so one
 * experiment's trials never mix with another's.
 *
 * @module
 */
import { osReason } from "../io/os_error.ts";
import { runDirName } from "../cluster/run_dir.ts";

/**
 * Creates a fresh `experiment_<time>` directory under `root` and returns its path.
 *
 * @example
 * ```ts ignore
 * import { createExperimentDir } from "./out_dir.ts";
 * createExperimentDir("logs"); // "logs/experiment_2026-11-28_03-14-00"
 * ```
 */
export function createExperimentDir(root: string, options: { now?: Date } = {}): string {
  const name = runDirName(options.now ?? new Date()).replace(/^run_/, "experiment_");
  const base = `${root.replace(/\/+$/, "") || "."}/${name}`;
  try {
    Deno.mkdirSync(root, { recursive: true });
  } catch (err) {
    throw new Error(`Cannot create directory "${root}": ${osReason(err)}`, { cause: err });
  }
  for (let n = 1; n < 10000; n++) {
    const path = n === 1 ? base : `${base}_${n}`;
    try {
      Deno.mkdirSync(path);
      return path;
    } catch (err) {
      if (err instanceof Deno.errors.AlreadyExists) continue;
      throw new Error(`Cannot create directory "${path}": ${osReason(err)}`, { cause: err });
    }
  }
  throw new Error(`Cannot create directory "${base}": current suffixes _2.._9999 are all taken`);
}

/**
 * Why `dir` cannot take an experiment's outputs (it is a file, or a directory that is not
 * empty), or null when it can; creates it when missing.
 *
 * @example
 * ```ts ignore
 * import { prepareOutDir } from "./out_dir.ts";
 * prepareOutDir("logs/my_experiment"); // null: created, or empty
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

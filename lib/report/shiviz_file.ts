/**
 * The `--shiviz FILE` output: a file the ShiViz export (`lib/causality/shiviz.ts`) streams
 * into while the analysis runs, so a run of any size is exported without holding it.
 *
 * @module
 */
import { AnalysisError } from "../analysis/errors.ts";
import { writeAllSync } from "../io/write_all.ts";

/** An open export file. */
export interface ShivizFile {
  /** Appends text. */
  write(text: string): void;
  /** Closes the file (idempotent). */
  close(): void;
}

/**
 * Creates (or truncates) `path` for the export.
 *
 * @example
 * ```ts ignore
 * import { openShivizFile } from "./shiviz_file.ts";
 * const f = openShivizFile("/tmp/run.shiviz.log");
 * f.write("...");
 * f.close();
 * ```
 */
export function openShivizFile(path: string): ShivizFile {
  let file: Deno.FsFile | null;
  try {
    file = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    throw new AnalysisError(`Cannot write the ShiViz export "${path}": ${why(e)}`, { cause: e });
  }
  return {
    write(text) {
      try {
        writeAllSync(file!, text);
      } catch (e) {
        throw new AnalysisError(`Cannot write the ShiViz export "${path}": ${why(e)}`, {
          cause: e,
        });
      }
    },
    close() {
      file?.close();
      file = null;
    },
  };
}

/**
 * Why a write failed, in words, with what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { why } from "./shiviz_file.ts";
 * assert.match(why(new Deno.errors.NotFound("x")), /folder does not exist/);
 * ```
 */
export function why(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return "no write permission there (run with --allow-write for it, or pick a path inside the project)";
  }
  if (e instanceof Deno.errors.NotFound) return "its folder does not exist (create it first)";
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory (give a file name)";
  return "the write failed (see the cause below)";
}

/**
 * The `--shiviz FILE` output: a file the ShiViz export (`lib/causality/shiviz.ts`) streams
 * into while the analysis runs, so a run of any size is exported without holding it.
 *
 * @module
 */
import { AnalysisError, writeProblem } from "../analysis/errors.ts";
import { dirOf } from "../analysis/write_outputs.ts";
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
    throw new AnalysisError(
      `Cannot write the ShiViz export "${path}": ${writeProblem(e, dirOf(path))}`,
      { cause: e },
    );
  }
  return {
    write(text) {
      try {
        writeAllSync(file!, text);
      } catch (e) {
        throw new AnalysisError(
          `Cannot write the ShiViz export "${path}": ${writeProblem(e, dirOf(path))}`,
          {
            cause: e,
          },
        );
      }
    },
    close() {
      file?.close();
      file = null;
    },
  };
}

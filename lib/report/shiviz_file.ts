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
 * ```ts
 * import assert from "node:assert/strict";
 * import { openShivizFile } from "./shiviz_file.ts";
 * const dir = Deno.makeTempDirSync();
 * const f = openShivizFile(`${dir}/run.shiviz.log`);
 * f.write("1 START {\"1\": 1}\n");
 * f.close();
 * assert.equal(Deno.readTextFileSync(`${dir}/run.shiviz.log`), '1 START {"1": 1}\n');
 * assert.throws(() => openShivizFile(`${dir}/no/such/dir.log`), /its folder does not exist/);
 * Deno.removeSync(dir, { recursive: true });
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

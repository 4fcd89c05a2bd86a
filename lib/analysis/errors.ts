/**
 * The analyzer's error type and the file-system problems its messages name. Messages follow
 * the std rule: `Cannot <action>: <what is wrong>` (sentence case, paths quoted, no final
 * period); the underlying error is kept as `cause`, not pasted into the text.
 *
 * @module
 */

/**
 * An input or usage problem the user can fix, shown without a stack trace by the CLI.
 *
 * @example
 * ```ts
 * import { AnalysisError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const err = new AnalysisError('Cannot read log file "logs/x.log": file not found');
 * assert.equal(err.name, "AnalysisError");
 * assert.throws(() => { throw err; }, AnalysisError);
 * ```
 */
export class AnalysisError extends Error {
  /** Always "AnalysisError". */
  override name = "AnalysisError";
}

/**
 * A file-system error in plain words: "file not found", "permission denied", "it is a
 * directory", "too many open files (raise the limit: ulimit -n)"; anything else is "the file
 * system refused (see the cause)", its details left to the error's `cause`.
 *
 * @example
 * ```ts
 * import { fsProblem } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fsProblem(new Deno.errors.NotFound("x")), "file not found");
 * assert.equal(fsProblem(new Error("os error 24")), "too many open files (raise the limit: ulimit -n)");
 * ```
 */
export function fsProblem(err: unknown): string {
  if (err instanceof Deno.errors.NotFound) return "file not found";
  if (err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable) {
    return "permission denied";
  }
  if (err instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (err instanceof Deno.errors.NotADirectory) return "a part of the path is not a directory";
  if (err instanceof Error && /os error 24\b/.test(err.message)) {
    return "too many open files (raise the limit: ulimit -n)";
  }
  return "the file system refused (see the cause)";
}

/**
 * Why writing into `dir` failed, with what to do: the flag to add for a missing permission,
 * "its folder does not exist" for a missing folder, else {@link fsProblem}.
 *
 * @example
 * ```ts
 * import { writeProblem } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   writeProblem(new Deno.errors.NotCapable("x"), "/tmp/out"),
 *   'no write permission for "/tmp/out" (add --allow-write=/tmp/out to the deno run command, or write inside the project)',
 * );
 * assert.equal(writeProblem(new Deno.errors.NotFound("x"), "a"), "its folder does not exist (create it first)");
 * ```
 */
export function writeProblem(err: unknown, dir: string): string {
  if (err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable) {
    return `no write permission for "${dir}" (add --allow-write=${dir} to the deno run command, or write inside the project)`;
  }
  if (err instanceof Deno.errors.NotFound) return "its folder does not exist (create it first)";
  return fsProblem(err);
}

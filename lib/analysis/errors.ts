/**
 * The analyzer's error type: a message meant for the user (`file:line: reason` or
 * `Cannot … : current value is …`), shown without a stack trace by the CLI.
 *
 * @module
 */
import { errorMessage } from "../core/errors.ts";

/**
 * An input or usage problem the user can fix.
 *
 * @example
 * ```ts
 * import { AnalysisError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const err = new AnalysisError("Cannot analyze: no log files given: current value is []");
 * assert.equal(err.name, "AnalysisError");
 * assert.throws(() => { throw err; }, AnalysisError);
 * ```
 */
export class AnalysisError extends Error {
  /** Always "AnalysisError". */
  override name = "AnalysisError";
}

/**
 * A file-system error in plain words for a message's "current value" part: "file not found",
 * "permission denied", "too many open files (raise the limit: ulimit -n)", else its message.
 *
 * @example
 * ```ts
 * import { fsProblem } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fsProblem(new Deno.errors.NotFound("x")), "file not found");
 * ```
 */
export function fsProblem(err: unknown): string {
  if (err instanceof Deno.errors.NotFound) return "file not found";
  if (err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable) {
    return "permission denied";
  }
  const text = errorMessage(err);
  if (/os error 24\b/.test(text)) return "too many open files (raise the limit: ulimit -n)";
  return text;
}

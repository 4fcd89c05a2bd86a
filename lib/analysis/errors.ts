/**
 * The analyzer's error type: a message meant for the user (`file:line: reason` or
 * `Cannot … : current value is …`), shown without a stack trace by the CLI.
 *
 * @module
 */

/**
 * An input or usage problem the user can fix.
 *
 * @example
 * ```ts
 * import { AnalysisError } from "./errors.ts";
 * throw new AnalysisError("Cannot analyze: no log files given: current value is []");
 * ```
 */
export class AnalysisError extends Error {
  /** Always "AnalysisError". */
  override name = "AnalysisError";
}

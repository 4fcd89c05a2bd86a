/**
 * Narrowing of caught values: `catch (err)` gives `unknown`; these helpers read it without
 * casts.
 *
 * @module
 */

/**
 * The message of a caught value: an `Error`'s message, else the value as text.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(errorMessage(new RangeError("too big")), "too big");
 * assert.equal(errorMessage("plain"), "plain");
 * ```
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

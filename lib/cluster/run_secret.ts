/**
 * The fresh random secret of one cluster run: a 0600 file in the run directory that the nodes
 * read at start (`--secret-file`) and that is deleted once they have (never logged, never on a
 * command line).
 *
 * @module
 */

/**
 * Writes 32 random bytes (as 64 hex characters) to `<dir>/.secret`, readable by its owner
 * only, and returns the path.
 *
 * @example
 * ```ts
 * import { createRunSecret, removeRunSecret } from "./run_secret.ts";
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * const path = createRunSecret(dir);
 * assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
 * assert.match(Deno.readTextFileSync(path), /^[0-9a-f]{64}\n$/);
 * removeRunSecret(path);
 * Deno.removeSync(dir);
 * ```
 */
export function createRunSecret(dir: string): string {
  const path = `${dir.replace(/\/+$/, "")}/.secret`;
  removeRunSecret(path); // a stale one from a killed run in a reused --logs-dir
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  Deno.writeTextFileSync(path, hex + "\n", { createNew: true, mode: 0o600 });
  Deno.chmodSync(path, 0o600);
  return path;
}

/**
 * Deletes the run's secret file; a file already gone is fine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeRunSecret } from "./run_secret.ts";
 * assert.doesNotThrow(() => removeRunSecret("/nonexistent/.secret"));
 * ```
 */
export function removeRunSecret(path: string): void {
  try {
    Deno.removeSync(path);
  } catch { /* already gone */ }
}

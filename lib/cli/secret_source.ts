/**
 * Where a node's shared secret comes from: `--secret-file PATH` (readable by its owner only),
 * else the `LAMPORT_SECRET` environment variable. Never from the command line; never printed.
 *
 * @module
 */
import { osReason } from "../io/os_error.ts";
import { checkSecret } from "../auth/link_auth.ts";
import { errorMessage } from "../core/errors.ts";
import { UsageError } from "./flag_values.ts";

/**
 * Reads the secret from `file`, else from `LAMPORT_SECRET` (when this process may read it);
 * `null` when neither is given. Throws a {@linkcode UsageError} naming the problem (never the
 * secret): no permission, not found, readable by others, too short.
 *
 * @example
 * ```ts
 * import { readSecret } from "./secret_source.ts";
 * import assert from "node:assert/strict";
 * const path = Deno.makeTempFileSync();
 * Deno.writeTextFileSync(path, "0123456789abcdef0123456789abcdef\n");
 * Deno.chmodSync(path, 0o600);
 * assert.equal(readSecret({ file: path })?.length, 32);
 * Deno.chmodSync(path, 0o644);
 * assert.throws(() => readSecret({ file: path }), /others can read it: current mode is 0644/);
 * Deno.removeSync(path);
 * ```
 */
export function readSecret(options: { file?: string } = {}): Uint8Array | null {
  const { file } = options;
  if (file !== undefined) {
    const q = JSON.stringify(file);
    if (Deno.permissions.querySync({ name: "read", path: file }).state !== "granted") {
      throw new UsageError(
        `Cannot read --secret-file ${q} as this process may not read it: run with ` +
          `--allow-read=${file}`,
      );
    }
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(file);
    } catch (err) {
      throw new UsageError(`Cannot read --secret-file ${q}: ${osReason(err)}`, { cause: err });
    }
    if (!info.isFile) throw new UsageError(`Cannot read --secret-file ${q}: it is not a file`);
    if (info.mode !== null && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, "0");
      throw new UsageError(
        `Cannot use --secret-file ${q}: others can read it: current mode is ${mode} ` +
          `(want 0600: chmod 600 ${q})`,
      );
    }
    try {
      return checkSecret(Deno.readFileSync(file), { source: `--secret-file ${q}` });
    } catch (err) {
      throw new UsageError(errorMessage(err));
    }
  }
  const env = Deno.permissions.querySync({ name: "env", variable: "LAMPORT_SECRET" });
  const text = env.state === "granted" ? Deno.env.get("LAMPORT_SECRET") : undefined;
  if (text === undefined || text === "") return null;
  try {
    return checkSecret(new TextEncoder().encode(text), { source: "LAMPORT_SECRET" });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}

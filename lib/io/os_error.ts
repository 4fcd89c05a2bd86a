/**
 * File-system and network errors in plain words (`"file not found"`, `"permission denied"`),
 * for messages of the form `Cannot read log file "logs/x.log": file not found`; the error
 * itself travels as the `cause`.
 *
 * @module
 */
import { errorMessage } from "../core/errors.ts";

/**
 * The reason of a caught error in a few lower-case words: a `Deno.errors` class named, else
 * the message without its `(os error N)` tail.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osReason } from "./os_error.ts";
 * assert.equal(osReason(new Deno.errors.NotFound("No such file or directory (os error 2)")), "file not found");
 * assert.equal(osReason(new Deno.errors.PermissionDenied("Permission denied (os error 13)")), "permission denied");
 * assert.equal(osReason(new Error("Disk quota exceeded (os error 122)")), "disk quota exceeded");
 * ```
 */
export function osReason(err: unknown): string {
  if (err instanceof Deno.errors.NotFound) return "file not found";
  if (err instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (err instanceof Deno.errors.NotCapable) return "not allowed by this process's permissions";
  if (err instanceof Deno.errors.AlreadyExists) return "it already exists";
  if (err instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (err instanceof Deno.errors.NotADirectory) return "a parent is not a directory";
  if (err instanceof Deno.errors.AddrInUse) return "address already in use";
  if (err instanceof Deno.errors.ConnectionRefused) return "connection refused";
  const text = errorMessage(err).replace(/\s*\(os error \d+\)/, "").replace(/:\s.*$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
}

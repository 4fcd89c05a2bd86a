/**
 * Writes a whole buffer or string to a writer, continuing after short writes: the one place
 * that loop is written (sockets, log files, stdout).
 *
 * @module
 */

const encoder = new TextEncoder();

/** Something with an async `write` that may write fewer bytes than given (a `Deno.Conn`). */
export interface Writer {
  /** Writes some of `p`; resolves with how many bytes were written. */
  write(p: Uint8Array): Promise<number>;
}

/** Something with a sync `writeSync` that may write fewer bytes than given (a `Deno.FsFile`). */
export interface WriterSync {
  /** Writes some of `p`; returns how many bytes were written. */
  writeSync(p: Uint8Array): number;
}

/**
 * Writes all of `data` (a string is UTF-8 encoded) to `writer`.
 *
 * @example
 * ```ts
 * import { writeAll } from "./write_all.ts";
 * import assert from "node:assert/strict";
 * const chunks: number[] = [];
 * // A writer that takes at most 2 bytes per call.
 * const writer = { write: (p: Uint8Array) => Promise.resolve(chunks.push(Math.min(2, p.length)) && Math.min(2, p.length)) };
 * await writeAll(writer, "hello");
 * assert.deepEqual(chunks, [2, 2, 1]);
 * ```
 */
export async function writeAll(writer: Writer, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let off = 0;
  while (off < bytes.length) off += await writer.write(bytes.subarray(off));
}

/**
 * Writes all of `data` (a string is UTF-8 encoded) to `writer`, synchronously.
 *
 * @example
 * ```ts
 * import { writeAllSync } from "./write_all.ts";
 * import assert from "node:assert/strict";
 * let written = "";
 * const writer = {
 *   writeSync(p: Uint8Array) {
 *     written += new TextDecoder().decode(p.subarray(0, 3));
 *     return Math.min(3, p.length);
 *   },
 * };
 * writeAllSync(writer, "lamport");
 * assert.equal(written, "lamport");
 * ```
 */
export function writeAllSync(writer: WriterSync, data: Uint8Array | string): void {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let off = 0;
  while (off < bytes.length) off += writer.writeSync(bytes.subarray(off));
}

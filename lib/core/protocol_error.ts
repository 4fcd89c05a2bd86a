/**
 * The error of the wire protocol.
 *
 * @module
 */

/**
 * A violation of the wire protocol; the connection that sent it is closed.
 *
 * @example
 * ```ts
 * import { parseFrame, ProtocolError } from "./wire.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => parseFrame("-1"), ProtocolError);
 * ```
 */
export class ProtocolError extends Error {
  /** Creates the error with a reason. */
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

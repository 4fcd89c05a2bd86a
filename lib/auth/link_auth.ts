/**
 * Link authentication from a shared secret: the checks a secret must pass, and the
 * handshakes the transport runs on each inbound and outbound connection.
 *
 * @module
 */
import { AcceptorHandshake, ConnectorHandshake } from "./handshake.ts";
import { hmacKey } from "./hmac.ts";

/** Fewest bytes a secret may have (after trailing whitespace is dropped). */
export const MIN_SECRET_BYTES = 16;
/** Most bytes a secret may have. */
export const MAX_SECRET_BYTES = 4096;

/**
 * Checks a secret read from `source` (a file name or `LAMPORT_SECRET`; used in messages, the
 * secret itself never is) and returns it without trailing whitespace (a file's last newline).
 *
 * @example
 * ```ts
 * import { checkSecret } from "./link_auth.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("0123456789abcdef0123456789abcdef\n");
 * assert.equal(checkSecret(bytes, { source: "secret" }).length, 32);
 * assert.throws(() => checkSecret(new TextEncoder().encode("short"), { source: "s" }), /current length is 5 bytes/);
 * ```
 */
export function checkSecret(bytes: Uint8Array, options: { source: string }): Uint8Array {
  let end = bytes.length;
  while (
    end > 0 &&
    (bytes[end - 1] === 10 || bytes[end - 1] === 13 || bytes[end - 1] === 32 ||
      bytes[end - 1] === 9)
  ) end--;
  if (end < MIN_SECRET_BYTES || end > MAX_SECRET_BYTES) {
    throw new RangeError(
      `Cannot use the secret from ${options.source}: current length is ${end} bytes (want ` +
        `${MIN_SECRET_BYTES}..${MAX_SECRET_BYTES}; make one with: openssl rand -hex 32)`,
    );
  }
  return bytes.slice(0, end);
}

/** Authentication of both directions of a node's links. */
export interface LinkAuth {
  /** For inbound connections: the accepting side of the handshake. */
  inbound: { start(): AcceptorHandshake };
  /** For outbound connections: the connecting side, with our id and session. */
  outbound: { start(options: { selfId: number; session: number }): ConnectorHandshake };
}

/**
 * The handshakes of a node whose links share `secret` (checked with
 * {@linkcode checkSecret}).
 *
 * @example
 * ```ts
 * import { createLinkAuth } from "./link_auth.ts";
 * import assert from "node:assert/strict";
 * const auth = createLinkAuth(new TextEncoder().encode("0123456789abcdef0123456789abcdef"));
 * const c = auth.outbound.start({ selfId: 1, session: 5 });
 * const answer = auth.inbound.start().hello(c.hello(), 2);
 * assert.equal(answer.id, 2);
 * assert.equal(answer.session, undefined); // never disclosed before authentication
 * ```
 */
export function createLinkAuth(secret: Uint8Array): LinkAuth {
  const key = hmacKey(secret);
  return {
    inbound: { start: () => new AcceptorHandshake(key) },
    outbound: { start: (options) => new ConnectorHandshake(key, options) },
  };
}

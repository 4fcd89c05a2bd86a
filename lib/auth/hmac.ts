/**
 * HMAC-SHA256 keyed once (`@noble/hashes`, synchronous), constant-time comparison, base64 and
 * fresh random nonces: the primitives of link authentication.
 *
 * The handshake's MACs (6 per link) used to be WebCrypto's awaited `crypto.subtle.sign`: each an
 * asynchronous round through the runtime, while a large cluster on one host has thousands of
 * handshakes in flight. A key made here hashes the secret's inner and outer pads once; each MAC
 * then costs two SHA-256 passes over the message, with no asynchronous operation.
 *
 * @module
 */
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();

/** Bytes of a nonce and of an HMAC-SHA256 tag. */
export const TAG_BYTES = 32;

/** An HMAC-SHA256 key: the secret's pads hashed once (see {@linkcode hmacKey}). */
export type HmacKey = ReturnType<typeof nobleHmac.create>;

/**
 * `secret` as an HMAC-SHA256 key. The key is kept as the hash states of the secret's pads
 * (not the secret's bytes).
 *
 * @example
 * ```ts
 * import { hmacKey, hmac } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * const key = hmacKey(new TextEncoder().encode("a shared secret of 32 characters"));
 * assert.equal(hmac(key, "x").length, 32);
 * ```
 */
export function hmacKey(secret: Uint8Array): HmacKey {
  return nobleHmac.create(sha256, secret);
}

/**
 * HMAC-SHA256 of `data` (a string is UTF-8 encoded) under `key` (RFC 2104, the same bytes as
 * WebCrypto's `sign("HMAC", …)`).
 *
 * @example
 * ```ts
 * import { hmac, hmacKey } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * const key = hmacKey(new TextEncoder().encode("key"));
 * const tag = hmac(key, "The quick brown fox jumps over the lazy dog");
 * assert.equal(
 *   Array.from(tag, (b) => b.toString(16).padStart(2, "0")).join(""),
 *   "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", // the classic example
 * );
 * assert.notDeepEqual(hmac(key, "a"), hmac(key, "b"));
 * ```
 */
export function hmac(key: HmacKey, data: string | Uint8Array): Uint8Array {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return key.clone().update(bytes).digest();
}

/**
 * Whether `a` and `b` are equal, taking the same time wherever they differ (no early exit),
 * so a forger cannot learn a tag byte by byte from response times.
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
 * assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
 * assert.equal(timingSafeEqual(new Uint8Array([1]), new Uint8Array([1, 2])), false);
 * ```
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i % a.length] ?? 0) ^ (b[i % b.length] ?? 0);
  return diff === 0;
}

/**
 * Standard base64 of `bytes`.
 *
 * @example
 * ```ts
 * import { toBase64 } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * assert.equal(toBase64(new Uint8Array([255, 0, 1])), "/wAB");
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

/**
 * Decodes standard base64 (the wire format has already checked its shape).
 *
 * @example
 * ```ts
 * import { fromBase64 } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fromBase64("/wAB"), new Uint8Array([255, 0, 1]));
 * ```
 */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * A fresh random nonce (32 bytes from the system's secure random source), base64.
 *
 * @example
 * ```ts
 * import { randomNonce } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * assert.notEqual(randomNonce(), randomNonce());
 * assert.equal(randomNonce().length, 44);
 * ```
 */
export function randomNonce(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(TAG_BYTES)));
}

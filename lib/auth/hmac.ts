/**
 * HMAC-SHA256 with WebCrypto (`crypto.subtle`), constant-time comparison, base64 and fresh
 * random nonces: the primitives of link authentication.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Bytes of a nonce and of an HMAC-SHA256 tag. */
export const TAG_BYTES = 32;

/**
 * Imports `secret` as an HMAC-SHA256 key (not extractable).
 *
 * @example
 * ```ts
 * import { hmacKey, hmac } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * const key = await hmacKey(new TextEncoder().encode("a shared secret of 32 characters"));
 * assert.equal((await hmac(key, "x")).length, 32);
 * ```
 */
export function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    secret as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/**
 * HMAC-SHA256 of `data` (a string is UTF-8 encoded) under `key`.
 *
 * @example
 * ```ts
 * import { hmac, hmacKey } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * const key = await hmacKey(new Uint8Array(32));
 * assert.deepEqual(await hmac(key, "a"), await hmac(key, "a"));
 * assert.notDeepEqual(await hmac(key, "a"), await hmac(key, "b"));
 * ```
 */
export async function hmac(key: CryptoKey, data: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes as Uint8Array<ArrayBuffer>));
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

/**
 * One TCP connection attempt with a time limit, for the outbound links.
 *
 * @module
 */
import type { PeerAddress } from "../core/peers.ts";

/**
 * Connects to `peer` with Nagle off; rejects after `timeoutMs`, or at once when `signal`
 * aborts. One timer per attempt, cleared once connected (an `AbortSignal.timeout` would stay
 * armed and fire, building a DOMException, after every attempt: thousands when a large
 * cluster links).
 *
 * @example
 * ```ts
 * import { connectTcp } from "./connect.ts";
 * import assert from "node:assert/strict";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const accepted = listener.accept();
 * const conn = await connectTcp(
 *   { host: "127.0.0.1", port: listener.addr.port },
 *   { timeoutMs: 2000, signal: new AbortController().signal },
 * );
 * assert.equal(conn.remoteAddr.port, listener.addr.port);
 * conn.close();
 * (await accepted).close();
 * listener.close();
 * ```
 */
export async function connectTcp(
  peer: PeerAddress,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<Deno.TcpConn> {
  const attempt = new AbortController();
  const stop = () => attempt.abort();
  const timer = setTimeout(stop, options.timeoutMs);
  options.signal.addEventListener("abort", stop);
  try {
    if (options.signal.aborted) stop();
    const conn = await Deno.connect({
      hostname: peer.host,
      port: peer.port,
      signal: attempt.signal,
    });
    conn.setNoDelay(true);
    return conn;
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", stop);
  }
}

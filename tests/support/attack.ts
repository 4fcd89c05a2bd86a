/**
 * Test support: a hostile TCP client. Sends bytes to a node and reads what comes back until
 * the node closes the connection or a time limit passes.
 *
 * @module
 */
import { writeAll } from "../../lib/io/write_all.ts";

/** What came back from one exchange. */
export interface Exchange {
  /** Everything the node wrote back, as text. */
  reply: string;
  /** Whether the node closed the connection (EOF or reset) within the time limit. */
  closed: boolean;
  /** ms from the end of the write to the close (or to the time limit). */
  ms: number;
}

/** Connects to `port` on 127.0.0.1 (or `host`). */
export function connect(port: number, host = "127.0.0.1"): Promise<Deno.TcpConn> {
  return Deno.connect({ hostname: host, port });
}

/**
 * Writes `payload` (write errors are ignored: the node may close early), then reads until
 * the node closes or `readMs` passes.
 */
export async function exchange(
  port: number,
  payload: string | Uint8Array,
  options: { readMs?: number; conn?: Deno.TcpConn; host?: string } = {},
): Promise<Exchange> {
  const conn = options.conn ?? await connect(port, options.host);
  try {
    await writeAll(conn, payload);
  } catch { /* the node closed first */ }
  return await readAll(conn, options.readMs ?? 1000);
}

/** Reads until EOF, a reset, or `readMs`; closes the connection. */
export async function readAll(conn: Deno.TcpConn, readMs: number): Promise<Exchange> {
  const t0 = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      conn.close();
    } catch { /* closed */ }
  }, readMs);
  const buf = new Uint8Array(65536);
  let reply = "";
  let closed = false;
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) {
        closed = true;
        break;
      }
      reply += decoder.decode(buf.subarray(0, n), { stream: true });
    }
  } catch {
    closed = !timedOut; // a reset by the node counts as closed
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed */ }
  }
  return { reply, closed, ms: Math.round(performance.now() - t0) };
}

/** One frame as a JSON line. */
export function line(frame: unknown): string {
  return JSON.stringify(frame) + "\n";
}

/** Seeded random bytes (xorshift32), so a failing case can be repeated. */
export function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

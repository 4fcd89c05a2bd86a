/**
 * One outbound link to a peer: a persistent TCP connection with hello exchange, connect
 * timeout, reconnect with backoff, a bounded outbound queue and cumulative acks. Frames not
 * acknowledged are re-sent after a reconnect (the receiver drops duplicates by `seq`).
 *
 * @module
 */
import type { ReportEvent } from "../core/machine.ts";
import type { LogEvent } from "../core/log_schema.ts";
import { formatPeer, type PeerAddress } from "../core/peers.ts";
import {
  encodeFrame,
  type Frame,
  FrameDecoder,
  type MsgFrame,
  ProtocolError,
} from "../core/wire.ts";
import { writeAll } from "../io/write_all.ts";
import { errorMessage } from "../core/errors.ts";

/** Reports a transport event (see `Machine.report`). */
export type Reporter = <E extends ReportEvent>(
  event: E,
  fields: Omit<Extract<LogEvent, { event: E }>, "event" | "system_time" | "machine_id">,
) => void;

/** Tunables of a link. */
export interface LinkOptions {
  /** Our machine id (sent in hello). */
  selfId: number;
  /** Our session (sent in hello): random per process. */
  session?: number;
  /** Where the peer listens. */
  peer: PeerAddress;
  /** Logs LINK_UP / LINK_DOWN / PROTOCOL_ERROR / UNDELIVERED. */
  report: Reporter;
  /** Connect (and hello) timeout in ms; default 2000. */
  connectTimeoutMs?: number;
  /** Most frames held (queued + unacknowledged); default 10000. */
  maxQueue?: number;
  /** Called when the link's up/down state changes. */
  onState?: () => void;
}

type Pending = MsgFrame;

/**
 * An outbound link. {@linkcode OutLink.send} never blocks and never loses silently: a frame
 * that cannot be held is reported UNDELIVERED; at {@linkcode OutLink.close} every frame not
 * acknowledged is reported UNDELIVERED too.
 *
 * @example
 * ```ts ignore
 * import { OutLink } from "./tcp_link.ts";
 * const link = new OutLink({ selfId: 1, peer: { host: "127.0.0.1", port: 5002 }, report: () => {} });
 * link.send({ type: "msg", from: 1, seq: 1, clock: 1 });
 * await link.close({ drainMs: 200 });
 * ```
 */
export class OutLink {
  readonly address: string;
  #o: Required<Omit<LinkOptions, "onState">> & Pick<LinkOptions, "onState">;
  #unacked: Pending[] = []; // written, waiting for an ack (oldest first)
  #queue: Pending[] = []; // not written yet
  #conn: Deno.TcpConn | null = null;
  #peerId: number | null = null;
  #closing = false;
  #everUp = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void>;
  #abort = new AbortController();

  /** Starts connecting in the background. */
  constructor(options: LinkOptions) {
    this.#o = {
      ...options,
      connectTimeoutMs: options.connectTimeoutMs ?? 2000,
      maxQueue: options.maxQueue ?? 10000,
      session: options.session ?? 0,
    };
    this.address = formatPeer(options.peer);
    this.#loop = this.#run();
  }

  /** Peer id from its hello, once known. */
  get peerId(): number | null {
    return this.#peerId;
  }

  /** Whether the connection is up (hello exchanged). */
  get up(): boolean {
    return this.#conn !== null;
  }

  /** Frames queued or waiting for an ack. */
  get pending(): number {
    return this.#queue.length + this.#unacked.length;
  }

  /** Queues a frame for the peer; reports UNDELIVERED when the queue is full. */
  send(frame: MsgFrame): void {
    if (this.#closing || this.pending >= this.#o.maxQueue) {
      const reason = this.#closing ? "link closing" : `outbound queue full (${this.#o.maxQueue})`;
      this.#undelivered(frame, reason);
      return;
    }
    this.#queue.push(frame);
    this.#wake?.();
  }

  /**
   * Waits up to `drainMs` for every frame to be written and acknowledged, then closes and
   * reports what is left as UNDELIVERED.
   */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.drainMs ?? 0);
    while (this.pending > 0 && this.#conn !== null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    this.#closing = true;
    this.#abort.abort();
    this.#wake?.();
    try {
      this.#conn?.close();
    } catch { /* already closed */ }
    await this.#loop;
    const reason = this.#everUp ? "not acknowledged before END" : "peer never connected";
    for (const f of [...this.#unacked, ...this.#queue]) this.#undelivered(f, reason);
    this.#unacked = [];
    this.#queue = [];
  }

  #undelivered(frame: MsgFrame, reason: string): void {
    this.#o.report("UNDELIVERED", {
      peer: this.address,
      to: this.#peerId,
      seq: frame.seq,
      clock: frame.clock,
      reason,
    });
  }

  async #run(): Promise<void> {
    let backoff = 50;
    while (!this.#closing) {
      let conn: Deno.TcpConn | null = null;
      try {
        conn = await this.#connect();
        backoff = 50;
        await this.#serve(conn);
        if (!this.#closing) this.#down("peer closed the connection");
      } catch (err) {
        if (err instanceof ProtocolError && !this.#closing) {
          this.#o.report("PROTOCOL_ERROR", { peer: this.address, reason: err.message });
        }
        if (conn) this.#down(errorMessage(err));
        try {
          conn?.close();
        } catch { /* already closed */ }
      }
      if (this.#closing) break;
      await this.#sleep(backoff);
      backoff = Math.min(backoff * 2, 2000);
    }
  }

  async #connect(): Promise<Deno.TcpConn> {
    const signal = AbortSignal.any([
      this.#abort.signal,
      AbortSignal.timeout(this.#o.connectTimeoutMs),
    ]);
    const conn = await Deno.connect({
      hostname: this.#o.peer.host,
      port: this.#o.peer.port,
      signal,
    });
    conn.setNoDelay(true);
    return conn;
  }

  /** Hello exchange, then a writer and a reader until the connection ends. */
  async #serve(conn: Deno.TcpConn): Promise<void> {
    const decoder = new FrameDecoder();
    const buf = new Uint8Array(16384);
    let readError: unknown = null;
    let readerDone = false;
    const reader = (async () => {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return;
        for (const f of decoder.push(buf.subarray(0, n))) this.#onFrame(f, conn);
        if (decoder.error) throw decoder.error;
      }
    })().catch((err) => (readError = err)).finally(() => {
      readerDone = true;
      this.#wake?.();
    });
    const helloTimer = setTimeout(() => {
      if (this.#conn !== conn) {
        readError = new Error(`no hello from peer within ${this.#o.connectTimeoutMs} ms`);
        conn.close();
      }
    }, this.#o.connectTimeoutMs);
    try {
      await writeAll(
        conn,
        encodeFrame({ type: "hello", id: this.#o.selfId, session: this.#o.session }),
      );
      // Unacknowledged frames of an earlier connection are sent again, first.
      this.#queue = [...this.#unacked, ...this.#queue];
      this.#unacked = [];
      while (!this.#closing && !readerDone) {
        if (this.#conn !== conn || this.#queue.length === 0) {
          await new Promise<void>((r) => (this.#wake = r));
          this.#wake = null;
          continue;
        }
        const batch = this.#queue;
        this.#queue = [];
        this.#unacked.push(...batch);
        await writeAll(conn, batch.map(encodeFrame).join(""));
      }
    } finally {
      clearTimeout(helloTimer);
      try {
        conn.close();
      } catch { /* already closed */ }
      await reader;
    }
    if (readError !== null) throw readError;
  }

  #onFrame(frame: Frame, conn: Deno.TcpConn): void {
    if (frame.type === "hello" && this.#conn === null) {
      this.#peerId = frame.id;
      this.#conn = conn;
      this.#everUp = true;
      this.#o.report("LINK_UP", { peer: this.address, peer_id: frame.id, direction: "out" });
      this.#o.onState?.();
      this.#wake?.();
    } else if (frame.type === "ack" && this.#conn !== null) {
      let i = 0;
      while (i < this.#unacked.length && this.#unacked[i].seq <= frame.seq) i++;
      this.#unacked.splice(0, i);
    } else {
      throw new ProtocolError(`Cannot accept ${frame.type} frame on an outbound link`);
    }
  }

  #down(reason: string): void {
    if (this.#conn === null) return;
    this.#conn = null;
    if (!this.#closing) {
      this.#o.report("LINK_DOWN", {
        peer: this.address,
        peer_id: this.#peerId,
        direction: "out",
        reason,
      });
    }
    this.#o.onState?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#abort.signal.removeEventListener("abort", done);
        resolve();
      }, ms);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.#abort.signal.addEventListener("abort", done, { once: true });
    });
  }
}

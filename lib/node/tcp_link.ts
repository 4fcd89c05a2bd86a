/**
 * One outbound link to a peer: a persistent TCP connection with hello exchange (checking the
 * peer's id; authenticated with a secret), connect timeout, reconnect with backoff, a bounded
 * outbound queue, cumulative acks and keepalives. Frames not acknowledged are re-sent after a
 * reconnect (the receiver drops duplicates by `seq`).
 *
 * @module
 */
import { formatPeer, formatPeerEntry } from "../core/peers.ts";
import { LineDecoder } from "../core/line_decoder.ts";
import { encodeFrame, MAX_FRAME_BYTES, type MsgFrame, ProtocolError } from "../core/wire.ts";
import { writeAll } from "../io/write_all.ts";
import { errorMessage } from "../core/errors.ts";
import { PLAIN_CODEC } from "./link_codec.ts";
import type { Reporter } from "./reporter.ts";
import { checkHelloId, type LinkOptions, SILENT_ATTEMPTS } from "./link_options.ts";
import { sleep } from "./sleep.ts";
import { connectTcp } from "./connect.ts";
import { BACKOFF, nextBackoff, retryDelay } from "./link_policy.ts";

export type { Reporter };

export { type LinkOptions, SILENT_ATTEMPTS };

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
  /** The peer's address `host:port`. */
  readonly address: string;
  #o: LinkOptions;
  #timeoutMs: number;
  #maxQueue: number;
  #unacked: MsgFrame[] = []; // written, waiting for an ack (oldest first)
  #queue: MsgFrame[] = []; // not written yet
  #conn: Deno.TcpConn | null = null;
  #peerId: number | null = null;
  #closing = false;
  #everUp = false;
  #wasUp = false; // up since the last reconnect
  #silent = 0; // connections in a row accepted but never answered
  #wake: (() => void) | null = null;
  #leaveGate: () => void = () => {}; // gives back this attempt's place in the handshake gate
  #drained: (() => void) | null = null; // close() waiting for the last ack
  #loop: Promise<void>;
  #abort = new AbortController();

  /** Starts connecting in the background. */
  constructor(options: LinkOptions) {
    this.#o = options;
    this.#timeoutMs = options.connectTimeoutMs ?? 2000;
    this.#maxQueue = options.maxQueue ?? 10000;
    this.#peerId = options.peer.id ?? null;
    this.address = formatPeer(options.peer);
    this.#loop = this.#run();
  }

  /** Peer id: as given in `--peers`, else from its hello once known. */
  get peerId(): number | null {
    return this.#peerId;
  }

  /** Whether the connection is up (hello exchanged). */
  get up(): boolean {
    return this.#conn !== null;
  }

  /** Whether the connection was ever up. */
  get everUp(): boolean {
    return this.#everUp;
  }

  /** The peer as `--peers` names it: `2@host:port` (or `host:port` without an id). */
  get entry(): string {
    return formatPeerEntry(this.#o.peer);
  }

  /** Frames queued or waiting for an ack. */
  get pending(): number {
    return this.#queue.length + this.#unacked.length;
  }

  /** Queues a frame for the peer; reports UNDELIVERED when the queue is full. */
  send(frame: MsgFrame): void {
    if (this.#closing || this.pending >= this.#maxQueue) {
      const reason = this.#closing ? "link closing" : `outbound queue full (${this.#maxQueue})`;
      this.#undelivered(frame, reason);
      return;
    }
    this.#queue.push(frame);
    this.#wake?.();
  }

  /**
   * After `onSilent` returned `true`: the messages not delivered, oldest first (the link
   * reports nothing for them).
   */
  takePending(): MsgFrame[] {
    const pending = [...this.#unacked, ...this.#queue];
    this.#unacked = [];
    this.#queue = [];
    return pending;
  }

  /**
   * Waits up to `drainMs` for every frame to be written and acknowledged, then closes and
   * reports what is left as UNDELIVERED.
   */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    if (this.pending > 0 && this.#conn !== null && (options.drainMs ?? 0) > 0) {
      // Woken by the last ack or the link going down (no polling: a hundred links of a
      // hundred nodes ending at once made that a storm of timers).
      const drained = Promise.withResolvers<void>();
      this.#drained = drained.resolve;
      const timer = setTimeout(drained.resolve, options.drainMs);
      await drained.promise;
      clearTimeout(timer);
      this.#drained = null;
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
    let backoff: number = BACKOFF.firstMs;
    while (!this.#closing) {
      let conn: Deno.TcpConn | null = null;
      this.#leaveGate = (await this.#o.gate?.enter(this.#abort.signal)) ?? (() => {});
      if (this.#closing) break;
      try {
        conn = await connectTcp(this.#o.peer, {
          timeoutMs: this.#timeoutMs,
          signal: this.#abort.signal,
        });
        await this.#serve(conn);
        if (!this.#closing) this.#down("peer closed the connection");
      } catch (err) {
        if (conn === null) this.#silent = 0; // not accepted: not a silent peer
        if (err instanceof ProtocolError && !this.#closing) {
          this.#o.report("PROTOCOL_ERROR", { peer: this.address, reason: err.message });
        }
        if (conn) this.#down(errorMessage(err));
        try {
          conn?.close();
        } catch { /* already closed */ }
      } finally {
        this.#leaveGate();
      }
      if (this.#closing) break;
      // A peer that once answered our hello is one of ours, only slow now: never an original.
      if (this.#silent >= SILENT_ATTEMPTS && this.#o.onSilent !== undefined && !this.#everUp) {
        const why = `it accepted ${this.#silent} connections in a row but never answered ` +
          `the hello (within ${this.#timeoutMs} ms each)`;
        this.#silent = 0;
        if (this.#o.onSilent(why)) {
          this.#closing = true;
          break;
        }
      }
      if (this.#wasUp) backoff = BACKOFF.firstMs; // the link was up: retry soon
      this.#wasUp = false;
      await sleep(retryDelay(backoff, this.#o.random ?? Math.random), this.#abort.signal);
      backoff = nextBackoff(backoff);
    }
  }

  /** Hello exchange, then a writer and a reader until the connection ends. */
  async #serve(conn: Deno.TcpConn): Promise<void> {
    const lines = new LineDecoder({ maxLineBytes: MAX_FRAME_BYTES });
    const buf = new Uint8Array(4096); // acks and the hello answer only: short lines
    const handshake = this.#o.auth?.start({
      selfId: this.#o.selfId,
      session: this.#o.session ?? 0,
    }) ?? null;
    let codec = PLAIN_CODEC;
    let readError: unknown = null;
    let readerDone = false;
    let heard = false; // any byte from the peer on this connection
    const reader = (async () => {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return;
        heard = true;
        for (const line of lines.push(buf.subarray(0, n))) {
          if (line.trim() === "") continue;
          const f = await codec.decode(line);
          if (f.type === "hello" && this.#conn === null) {
            checkHelloId(f.id, this.#o);
            if (handshake !== null) {
              const { auth, codec: sealed } = await handshake.answer(f);
              await writeAll(conn, encodeFrame(auth));
              codec = sealed;
            }
            this.#linkUp(f.id, conn);
          } else if (f.type === "ack" && this.#conn === conn) this.#acked(f.seq);
          else throw new ProtocolError(`Cannot accept ${f.type} frame on an outbound link`);
        }
        if (lines.error) throw lines.error;
      }
    })().catch((err) => (readError = err)).finally(() => {
      readerDone = true;
      this.#wake?.();
    });
    const helloTimer = setTimeout(() => {
      if (this.#conn !== conn) {
        readError = new Error(
          `Cannot link to ${this.address}: no hello from the peer within ${this.#timeoutMs} ms`,
        );
        this.#silent = heard || readerDone ? 0 : this.#silent + 1;
        conn.close();
      }
    }, this.#timeoutMs);
    const beat = this.#o.heartbeatMs ?? 0;
    let lastWrite = Date.now();
    try {
      const hello = handshake?.hello() ??
        { type: "hello" as const, id: this.#o.selfId, session: this.#o.session ?? 0 };
      await writeAll(conn, encodeFrame(hello));
      // Unacknowledged frames of an earlier connection are sent again, first.
      this.#queue = [...this.#unacked, ...this.#queue];
      this.#unacked = [];
      while (!this.#closing && !readerDone) {
        if (this.#conn !== conn || this.#queue.length === 0) {
          const wait = this.#conn === conn && beat > 0 ? lastWrite + beat - Date.now() : -1;
          if (this.#conn === conn && beat > 0 && wait <= 0) {
            await writeAll(conn, "\n"); // keepalive: the peer's idle timeout counts lines
            lastWrite = Date.now();
            continue;
          }
          const woken = Promise.withResolvers<void>();
          const t = wait > 0 ? setTimeout(woken.resolve, wait) : undefined;
          this.#wake = () => {
            clearTimeout(t);
            woken.resolve();
          };
          await woken.promise;
          this.#wake = null;
          continue;
        }
        const batch = this.#queue;
        this.#queue = [];
        this.#unacked.push(...batch);
        // Sealed concurrently (each frame takes its number in order when encode is called).
        const text = (await Promise.all(batch.map((f) => codec.encode(f)))).join("");
        await writeAll(conn, text);
        lastWrite = Date.now();
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

  #linkUp(id: number, conn: Deno.TcpConn): void {
    this.#leaveGate(); // the handshake is done: another link may start its own
    this.#silent = 0;
    this.#peerId = id;
    this.#conn = conn;
    this.#everUp = true;
    this.#wasUp = true;
    this.#o.report("LINK_UP", { peer: this.address, peer_id: id, direction: "out" });
    this.#o.onState?.();
    this.#wake?.();
  }

  #acked(seq: number): void {
    let i = 0;
    while (i < this.#unacked.length && this.#unacked[i].seq <= seq) i++;
    this.#unacked.splice(0, i);
    if (this.pending === 0) this.#drained?.();
  }

  #down(reason: string): void {
    if (this.#conn === null) return;
    this.#conn = null;
    this.#drained?.();
    const down = { peer: this.address, peer_id: this.#peerId, direction: "out" as const, reason };
    if (!this.#closing) this.#o.report("LINK_DOWN", down);
    this.#o.onState?.();
  }
}

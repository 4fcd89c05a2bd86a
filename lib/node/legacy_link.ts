/**
 * One outbound "link" to an original (Python) node, in the original's own protocol: a new
 * TCP connection per message carrying `"<clock>\n"`, closed at once. There is no hello and no
 * ack, so a message written is logged UNCONFIRMED ("legacy peer: no ack possible"), never
 * taken as delivered; one that could not be written is logged UNDELIVERED. Messages wait in
 * order (bounded) while the peer cannot be reached, and connects are retried with backoff; a
 * message is written once at most (a failed write is not retried: the peer may have read it).
 *
 * @module
 */
import { formatPeer, formatPeerEntry, type PeerAddress } from "../core/peers.ts";
import { encodeFrame, type MsgFrame } from "../core/wire.ts";
import { writeAll } from "../io/write_all.ts";
import { errorMessage } from "../core/errors.ts";
import type { Reporter } from "./reporter.ts";
import { sleep } from "./sleep.ts";
import { connectTcp } from "./connect.ts";

/** Why a message written to a legacy peer is not confirmed (UNCONFIRMED's `reason`). */
export const LEGACY_UNCONFIRMED = "legacy peer: no ack possible";

/** Tunables of a {@linkcode LegacyLink}. */
export interface LegacyLinkOptions {
  /** Where the peer listens. */
  peer: PeerAddress;
  /** Logs UNCONFIRMED / UNDELIVERED. */
  report: Reporter;
  /** Connect timeout per attempt (ms); default 2000. */
  connectTimeoutMs?: number;
  /** Most messages waiting; default 10000. */
  maxQueue?: number;
  /** Called when the peer becomes reachable or unreachable. */
  onState?: () => void;
}

/**
 * An outbound link to a legacy peer. It is {@linkcode LegacyLink.up} once a connection to the
 * peer succeeded (a first connection, closed without writing, probes it) and while the last
 * one did.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LegacyLink } from "./legacy_link.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 }); // an original node
 * const peer = { host: "127.0.0.1", port: listener.addr.port, legacy: true };
 * const link = new LegacyLink({ peer, report: () => {} });
 * link.send({ type: "msg", from: 1, seq: 1, clock: 7 });
 * let text = "";
 * while (text === "") { // the probe (empty), then one connection per message
 *   const conn = await listener.accept();
 *   for await (const chunk of conn.readable) text += new TextDecoder().decode(chunk);
 * }
 * assert.equal(text, "7\n");
 * await link.close({ drainMs: 300 });
 * listener.close();
 * ```
 */
export class LegacyLink {
  /** The peer's address `host:port`. */
  readonly address: string;
  #o: LegacyLinkOptions;
  #timeoutMs: number;
  #maxQueue: number;
  #queue: MsgFrame[];
  #up = false;
  #everUp = false;
  #closing = false;
  #lastError = "";
  #wake: (() => void) | null = null;
  #abort = new AbortController();
  #loop: Promise<void>;

  /** Starts probing the peer; `pending` are messages handed over (oldest first). */
  constructor(options: LegacyLinkOptions, pending: MsgFrame[] = []) {
    this.#o = options;
    this.#timeoutMs = options.connectTimeoutMs ?? 2000;
    this.#maxQueue = options.maxQueue ?? 10000;
    this.#queue = [...pending];
    this.address = formatPeer(options.peer);
    this.#loop = this.#run();
  }

  /** Peer id as given (`legacy:3@host:port`), else `null`. */
  get peerId(): number | null {
    return this.#o.peer.id ?? null;
  }

  /** Whether the last connection to the peer succeeded. */
  get up(): boolean {
    return this.#up;
  }

  /** Whether a connection to the peer ever succeeded. */
  get everUp(): boolean {
    return this.#everUp;
  }

  /** The peer as `--peers` names it (`legacy:3@host:port`). */
  get entry(): string {
    return formatPeerEntry({ ...this.#o.peer, legacy: true });
  }

  /** Messages waiting to be written. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Queues a message; reports UNDELIVERED when the queue is full or the link closing. */
  send(frame: MsgFrame): void {
    if (this.#closing || this.#queue.length >= this.#maxQueue) {
      const why = this.#closing ? "link closing" : `outbound queue full (${this.#maxQueue})`;
      return this.#undelivered(frame, why);
    }
    this.#queue.push(frame);
    this.#wake?.();
  }

  /**
   * Waits up to `drainMs` for waiting messages to be written (while the peer is reachable),
   * then stops and reports what is left UNDELIVERED.
   */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.drainMs ?? 0);
    while (this.#queue.length > 0 && this.#up && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    this.#closing = true;
    this.#abort.abort();
    this.#wake?.();
    await this.#loop;
    const reason = this.#everUp
      ? "not written before END (legacy peer)"
      : `peer never connected${this.#lastError === "" ? "" : ` (${this.#lastError})`}`;
    for (const f of this.#queue) this.#undelivered(f, reason);
    this.#queue = [];
  }

  #undelivered(frame: MsgFrame, reason: string): void {
    const { seq, clock } = frame;
    this.#o.report("UNDELIVERED", { peer: this.address, to: this.peerId, seq, clock, reason });
  }

  async #run(): Promise<void> {
    let backoff = 50;
    let probed = false;
    while (!this.#closing) {
      const frame = this.#queue[0];
      if (frame === undefined && probed) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = null;
        continue;
      }
      let conn: Deno.TcpConn;
      try {
        conn = await connectTcp(this.#o.peer, {
          timeoutMs: this.#timeoutMs,
          signal: this.#abort.signal,
        });
      } catch (err) {
        if (this.#closing) break;
        this.#lastError = errorMessage(err);
        this.#state(false);
        await sleep(backoff, this.#abort.signal);
        backoff = Math.min(backoff * 2, 2000);
        continue;
      }
      backoff = 50;
      probed = true;
      try {
        if (frame !== undefined) {
          this.#queue.shift();
          try {
            await writeAll(conn, encodeFrame({ type: "legacy", clock: frame.clock }));
            const { seq, clock } = frame;
            this.#o.report("UNCONFIRMED", {
              peer: this.address,
              to: this.peerId,
              ...{ seq, clock, reason: LEGACY_UNCONFIRMED },
            });
          } catch (err) {
            this.#undelivered(frame, `legacy peer: write failed (${errorMessage(err)})`);
          }
        }
      } finally {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
      this.#state(true);
    }
  }

  #state(up: boolean): void {
    if (up) this.#everUp = true;
    if (this.#up === up) return;
    this.#up = up;
    this.#o.onState?.();
  }
}

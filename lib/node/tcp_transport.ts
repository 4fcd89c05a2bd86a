/**
 * TCP transport of a node: a listener for peers' links (hello, messages, acks; bare-integer
 * lines from original Python nodes) and one {@linkcode OutLink} per peer.
 *
 * @module
 */
import type { Incoming, Transport } from "../core/machine.ts";
import { formatPeer, type PeerAddress } from "../core/peers.ts";
import { OutLink, type Reporter } from "./tcp_link.ts";
import { encodeFrame, FrameDecoder, type MsgFrame, ProtocolError } from "../core/wire.ts";
import { writeAll } from "../io/write_all.ts";
import { errorMessage } from "../core/errors.ts";

/** Options of {@linkcode TcpTransport.listen}. */
export interface TcpTransportOptions {
  /** Our machine id. */
  id: number;
  /** Peers to link to, in die order. */
  peers: PeerAddress[];
  /** Listen address; default `0.0.0.0`. */
  bind?: string;
  /** Listen port (0 = any free port). */
  port: number;
  /** Connect and hello timeout per attempt (ms); default 2000. */
  connectTimeoutMs?: number;
  /** Frames held per outbound link; default 10000. */
  maxQueue?: number;
}

/** What the transport calls back into. */
export interface TransportHandlers {
  /** Logs transport events (usually `machine.report`). */
  report: Reporter;
  /** Queues an arrived message; returns `false` when it can no longer be taken (ended). */
  deliver: (message: Incoming) => boolean;
  /** Time source (ms since epoch), for arrival times. */
  now: () => number;
  /** Called when an outbound link goes up or down. */
  onLinkChange?: () => void;
}

/**
 * Listens first (so a taken port fails before anything else happens), then links to peers
 * on {@linkcode TcpTransport.start}.
 *
 * @example
 * ```ts ignore
 * import { TcpTransport } from "./tcp_transport.ts";
 * const t = TcpTransport.listen({ id: 1, peers: [], bind: "127.0.0.1", port: 0 });
 * t.start({ report: () => {}, deliver: () => true, now: Date.now });
 * await t.close();
 * ```
 */
export class TcpTransport implements Transport {
  #o: TcpTransportOptions;
  #listener: Deno.TcpListener;
  #links: OutLink[] = [];
  #inbound = new Set<Deno.TcpConn>();
  #tasks = new Set<Promise<void>>();
  #lastSeq = new Map<string, number>(); // "id/session" -> highest seq delivered
  #session = crypto.getRandomValues(new Uint32Array(1))[0];
  #h: TransportHandlers | null = null;
  #accepting: Promise<void> | null = null;
  /** When the last message arrived on an inbound link (time source ms; 0 = never). */
  lastMessageAt = 0;

  private constructor(options: TcpTransportOptions, listener: Deno.TcpListener) {
    this.#o = options;
    this.#listener = listener;
  }

  /** Opens the listener; throws `Cannot listen on host:port: …` when that fails. */
  static listen(options: TcpTransportOptions): TcpTransport {
    const hostname = options.bind ?? "0.0.0.0";
    try {
      return new TcpTransport(options, Deno.listen({ hostname, port: options.port }));
    } catch (err) {
      const why = err instanceof Deno.errors.AddrInUse
        ? "address already in use"
        : errorMessage(err);
      throw new Error(
        `Cannot listen on ${formatPeer({ host: hostname, port: options.port })}: ${why}`,
        {
          cause: err,
        },
      );
    }
  }

  /** The port actually listened on. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Outbound links up / total. */
  get links(): { up: number; total: number } {
    return { up: this.#links.filter((l) => l.up).length, total: this.#links.length };
  }

  /** Starts accepting and connecting to every peer. */
  start(handlers: TransportHandlers): void {
    if (this.#h) throw new Error("Cannot start the transport: it is already started");
    this.#h = handlers;
    this.#links = this.#o.peers.map((peer) =>
      new OutLink({
        selfId: this.#o.id,
        session: this.#session,
        peer,
        report: handlers.report,
        connectTimeoutMs: this.#o.connectTimeoutMs,
        maxQueue: this.#o.maxQueue,
        onState: handlers.onLinkChange,
      })
    );
    this.#accepting = this.#accept();
  }

  /** Queues `frame` for peer number `peer`. */
  send(peer: number, frame: MsgFrame): void {
    this.#links[peer].send(frame);
  }

  /** Peer id once its hello arrived. */
  peerId(peer: number): number | null {
    return this.#links[peer]?.peerId ?? null;
  }

  /**
   * Drains outbound links (up to `drainMs` for acks), closes them (reporting what is left
   * UNDELIVERED). Inbound links keep delivering until {@linkcode TcpTransport.closeInbound}.
   */
  async closeOutbound(options: { drainMs?: number } = {}): Promise<void> {
    await Promise.all(this.#links.map((l) => l.close(options)));
  }

  /** Closes the listener and every inbound connection. */
  async closeInbound(): Promise<void> {
    try {
      this.#listener.close();
    } catch { /* already closed */ }
    for (const c of this.#inbound) {
      try {
        c.close();
      } catch { /* already closed */ }
    }
    await this.#accepting;
    await Promise.all([...this.#tasks]);
  }

  /** Closes everything (outbound first). */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    await this.closeOutbound(options);
    await this.closeInbound();
  }

  async #accept(): Promise<void> {
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return; // listener closed
      }
      this.#inbound.add(conn);
      const task = this.#serve(conn).finally(() => {
        this.#inbound.delete(conn);
        this.#tasks.delete(task);
        try {
          conn.close();
        } catch { /* already closed */ }
      });
      this.#tasks.add(task);
    }
  }

  async #serve(conn: Deno.TcpConn): Promise<void> {
    const h = this.#h!;
    const remote = formatPeer({ host: conn.remoteAddr.hostname, port: conn.remoteAddr.port });
    const decoder = new FrameDecoder();
    const buf = new Uint8Array(65536);
    let peerId: number | null = null;
    let sender = ""; // "id/session" of the hello
    let reason = "peer closed the connection";
    try {
      for (;;) {
        let n: number | null;
        try {
          n = await conn.read(buf);
        } catch (err) {
          reason = errorMessage(err);
          break;
        }
        if (n === null) break;
        let ack = 0;
        let refused = false;
        for (const f of decoder.push(buf.subarray(0, n))) {
          if (f.type === "hello" && peerId === null) {
            peerId = f.id;
            sender = `${f.id}/${f.session ?? 0}`;
            await writeAll(
              conn,
              encodeFrame({ type: "hello", id: this.#o.id, session: this.#session }),
            );
            h.report("LINK_UP", { peer: remote, peer_id: peerId, direction: "in" });
          } else if (f.type === "msg" && peerId !== null) {
            if (f.from !== peerId) {
              throw new ProtocolError(
                `Cannot accept msg.from: current value is ${f.from} (link's hello said ${peerId})`,
              );
            }
            if (f.seq > (this.#lastSeq.get(sender) ?? 0)) {
              if (!h.deliver({ from: f.from, seq: f.seq, clock: f.clock, arrivedMs: h.now() })) {
                refused = true; // ended: not acknowledged, the sender reports it
                break;
              }
              this.#lastSeq.set(sender, f.seq);
            }
            this.lastMessageAt = h.now();
            ack = f.seq;
          } else if (f.type === "legacy" && peerId === null) {
            if (!h.deliver({ from: null, seq: null, clock: f.clock, arrivedMs: h.now() })) return;
            this.lastMessageAt = h.now();
          } else {
            throw new ProtocolError(
              `Cannot accept ${f.type} frame ${peerId === null ? "before hello" : "after hello"}`,
            );
          }
        }
        // Acknowledge what was queued, also when a later frame of this read was refused.
        if (ack > 0) await writeAll(conn, encodeFrame({ type: "ack", seq: ack }));
        if (refused) return;
        if (decoder.error) throw decoder.error;
      }
    } catch (err) {
      reason = errorMessage(err);
      if (err instanceof ProtocolError) {
        h.report("PROTOCOL_ERROR", { peer: remote, reason: err.message });
      }
    }
    if (peerId !== null) {
      h.report("LINK_DOWN", { peer: remote, peer_id: peerId, direction: "in", reason });
    }
  }
}

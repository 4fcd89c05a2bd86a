/**
 * TCP transport of a node: a listener for peers' links (see `inbound_link.ts`: hello,
 * messages, acks; bare-integer lines from original Python nodes), bounded in connections and
 * never dead (accept errors are logged and retried with backoff), and one {@linkcode OutLink}
 * per peer.
 *
 * @module
 */
import type { Transport } from "../core/machine.ts";
import { formatPeer, type PeerAddress } from "../core/peers.ts";
import { MAX_SESSION } from "../core/prng.ts";
import { createPeerLink, type PeerLink } from "./peer_link.ts";
import type { LinkState, TransportHandlers } from "./transport_handlers.ts";

export type { LinkState, TransportHandlers };
import { sleep } from "./sleep.ts";
import { LiveLinks, SenderMemory } from "./senders.ts";
import type { MsgFrame } from "../core/wire.ts";
import { osReason } from "../io/os_error.ts";
import { type InboundContext, type InboundLimits, serveInbound } from "./inbound_link.ts";
import { HandshakeGate, HANDSHAKES_AT_ONCE, linkOrder } from "./link_policy.ts";
import type { InboundAuth, OutboundAuth } from "./link_codec.ts";

/** Default bounds of inbound connections (see the README's node flags). */
export const INBOUND_DEFAULTS = {
  /** `--max-inbound` for up to 64 peers; with more peers, 4 per peer. */
  maxInbound: 256,
  /** `--hello-timeout` (ms). */
  helloTimeoutMs: 5000,
  /** `--idle-timeout` (ms); an outbound link sends a keepalive after a third of it. */
  idleTimeoutMs: 30_000,
  /** `--max-receive-queue`. */
  maxReceiveQueue: 100_000,
} as const;

/** Options of {@linkcode TcpTransport.listen}. */
export interface TcpTransportOptions {
  /** Our machine id. */
  id: number;
  /** Peers to link to, in die order (with ids: inbound hellos must name one of them). */
  peers: PeerAddress[];
  /** Listen address; default `127.0.0.1`. */
  bind?: string;
  /** Listen port (0 = any free port). */
  port: number;
  /** Our session (0..2^53 - 1); default random. */
  session?: number;
  /** Connect and hello timeout per attempt (ms); default 2000. */
  connectTimeoutMs?: number;
  /** Frames held per outbound link; default 10000. */
  maxQueue?: number;
  /** Outbound connects + hellos in flight at once; default {@linkcode HANDSHAKES_AT_ONCE}. */
  handshakesAtOnce?: number;
  /** Connect to peers only on {@linkcode TcpTransport.link} (listen at once); default false. */
  holdLinks?: boolean;
  /** Inbound connections open at once; default 256 (4 per peer with more than 64 peers). */
  maxInbound?: number;
  /** Bounds of inbound links (defaults in {@linkcode INBOUND_DEFAULTS}). */
  limits?: Partial<InboundLimits>;
  /** Authentication (`lib/auth/`); default none. */
  auth?: { inbound: InboundAuth; outbound: OutboundAuth } | null;
  /** Accept bare-integer lines (and link to `legacy` peers with `auth`); default: no `auth`. */
  allowLegacy?: boolean;
}

/**
 * A random session: an integer 0..2^53 - 1 from the system's secure random source.
 *
 * @example
 * ```ts
 * import { randomSession } from "./tcp_transport.ts";
 * import assert from "node:assert/strict";
 * const s = randomSession();
 * assert.ok(Number.isSafeInteger(s) && s >= 0);
 * ```
 */
export function randomSession(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return Math.min(MAX_SESSION, (high >>> 11) * 2 ** 32 + low);
}

/**
 * Listens first (so a taken port fails before anything else happens), then links to peers
 * on {@linkcode TcpTransport.start}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TcpTransport } from "./tcp_transport.ts";
 * const t = TcpTransport.listen({ id: 1, peers: [], bind: "127.0.0.1", port: 0 });
 * assert.ok(t.port > 0);
 * t.start({ report: () => {}, deliver: () => "", now: Date.now });
 * await t.close();
 * ```
 */
export class TcpTransport implements Transport {
  /** This process's session (sent only in our own outbound hellos). */
  readonly session: number;
  #o: TcpTransportOptions;
  #listener: Deno.TcpListener;
  #address: string;
  #links: PeerLink[] = [];
  #retired: PeerLink[] = []; // replaced by a legacy link: closed with the others
  #inbound = new Set<Deno.TcpConn>();
  #tasks = new Set<Promise<void>>();
  #senders = new SenderMemory();
  #live = new LiveLinks();
  #h: TransportHandlers | null = null;
  #accepting: Promise<void> | null = null;
  #closing = new AbortController();
  #sent = 0;
  #lastMessageAt = 0;
  #gate: HandshakeGate;

  private constructor(options: TcpTransportOptions, listener: Deno.TcpListener) {
    this.#o = options;
    this.#listener = listener;
    this.#address = formatPeer({ host: listener.addr.hostname, port: listener.addr.port });
    this.session = options.session ?? randomSession();
    this.#gate = new HandshakeGate(options.handshakesAtOnce ?? HANDSHAKES_AT_ONCE, {
      held: options.holdLinks ?? false,
    });
  }

  /** Opens the listener; throws `Cannot listen on host:port: …` when that fails. */
  static listen(options: TcpTransportOptions): TcpTransport {
    const hostname = options.bind ?? "127.0.0.1";
    const legacy = options.peers.find((p) => p.legacy);
    if (legacy && options.auth && !options.allowLegacy) {
      throw new Error(
        `Cannot link to legacy peer ${formatPeer(legacy)} as it cannot authenticate: ` +
          `current settings have a secret without --allow-legacy`,
      );
    }
    try {
      return new TcpTransport(options, Deno.listen({ hostname, port: options.port }));
    } catch (err) {
      throw new Error(
        `Cannot listen on ${formatPeer({ host: hostname, port: options.port })}: ${osReason(err)}`,
        { cause: err },
      );
    }
  }

  /** When the last message arrived on an inbound link (time source ms; 0 = never). */
  get lastMessageAt(): number {
    return this.#lastMessageAt;
  }

  /** The port actually listened on. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Outbound links up / total. */
  get links(): { up: number; total: number } {
    return { up: this.#links.filter((l) => l.up).length, total: this.#links.length };
  }

  /** Each outbound link: the peer (`2@host:port`), whether it is up, whether it ever was. */
  linkStates(): LinkState[] {
    return this.#links.map((l) => ({ peer: l.entry, up: l.up, everUp: l.everUp }));
  }

  /** Messages handed to the outbound links so far (one per recipient of a SEND). */
  get sent(): number {
    return this.#sent;
  }

  /** Inbound connections open now. */
  get inboundCount(): number {
    return this.#inbound.size;
  }

  /** Starts accepting and connecting to every peer. */
  start(handlers: TransportHandlers): void {
    if (this.#h) throw new Error("Cannot start the transport: it is already started");
    this.#h = handlers;
    const idle = this.#o.limits?.idleTimeoutMs ?? INBOUND_DEFAULTS.idleTimeoutMs;
    const context = {
      selfId: this.#o.id,
      session: this.session,
      report: handlers.report,
      connectTimeoutMs: this.#o.connectTimeoutMs,
      maxQueue: this.#o.maxQueue,
      onState: handlers.onLinkChange,
      heartbeatMs: idle > 0 ? idle / 3 : 0,
      auth: this.#o.auth?.outbound ?? null,
      gate: this.#gate,
      notice: handlers.notice,
      replace: (old: PeerLink, next: PeerLink) => {
        this.#links[this.#links.indexOf(old)] = next;
        this.#retired.push(old);
      },
    };
    // Created (so started) in link order, kept in peer order (the die's).
    const links: PeerLink[] = [];
    for (const i of linkOrder(this.#o.peers, this.#o.id)) {
      links[i] = createPeerLink(this.#o.peers[i], context);
    }
    this.#links = links;
    this.#accepting = this.#accept();
  }

  /** With `holdLinks`: starts connecting to the peers (no-op once started). */
  link(): void {
    this.#gate.open();
  }

  /** Queues `frame` for peer number `peer`. */
  send(peer: number, frame: MsgFrame): void {
    this.#sent++;
    this.#links[peer].send(frame);
  }

  /** Peer id once its hello arrived (or as given in `--peers`). */
  peerId(peer: number): number | null {
    return this.#links[peer]?.peerId ?? null;
  }

  /**
   * Drains outbound links (up to `drainMs` for acks), closes them (reporting what is left
   * UNDELIVERED). Inbound links keep delivering until {@linkcode TcpTransport.closeInbound}.
   */
  async closeOutbound(options: { drainMs?: number } = {}): Promise<void> {
    await Promise.all([...this.#links, ...this.#retired].map((l) => l.close(options)));
  }

  /** Closes the listener and every inbound connection. */
  async closeInbound(): Promise<void> {
    this.#closing.abort();
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
    const h = this.#h!;
    const o = this.#o;
    const maxInbound = o.maxInbound ?? Math.max(INBOUND_DEFAULTS.maxInbound, 4 * o.peers.length);
    const ours = o.peers.filter((p) => !p.legacy); // legacy peers never say hello
    const ids = ours.every((p) => p.id !== undefined) && ours.length > 0
      ? new Set(ours.map((p) => p.id!))
      : null;
    const context: InboundContext = {
      selfId: o.id,
      peerIds: ids,
      limits: {
        helloTimeoutMs: o.limits?.helloTimeoutMs ?? INBOUND_DEFAULTS.helloTimeoutMs,
        idleTimeoutMs: o.limits?.idleTimeoutMs ?? INBOUND_DEFAULTS.idleTimeoutMs,
        maxReceiveQueue: o.limits?.maxReceiveQueue ?? INBOUND_DEFAULTS.maxReceiveQueue,
      },
      auth: o.auth?.inbound ?? null,
      allowLegacy: o.allowLegacy ?? !o.auth,
      report: h.report,
      deliver: h.deliver,
      queueLength: h.queueLength ?? (() => 0),
      now: h.now,
      lastSeq: this.#senders,
      claim: (id, session, authenticated, close) =>
        this.#live.claim(id, { session, authenticated, close }),
      release: (id, close) => this.#live.release(id, close),
      onMessage: () => (this.#lastMessageAt = h.now()),
    };
    let backoff = 0;
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
        backoff = 0;
      } catch (err) {
        if (this.#closing.signal.aborted) return; // listener closed
        backoff = Math.min(Math.max(10, backoff * 2), 1000);
        h.report("PROTOCOL_ERROR", {
          peer: this.#address,
          reason: `Cannot accept a connection on ${this.#address}: ${
            osReason(err)
          } (retrying in ${backoff} ms)`,
        });
        await sleep(backoff, this.#closing.signal);
        continue;
      }
      if (this.#inbound.size >= maxInbound) {
        const remote = formatPeer({ host: conn.remoteAddr.hostname, port: conn.remoteAddr.port });
        h.report("PROTOCOL_ERROR", {
          peer: remote,
          reason: `Cannot accept connection: current inbound connections are ` +
            `${this.#inbound.size} (limit --max-inbound ${maxInbound})`,
        });
        try {
          conn.close();
        } catch { /* already closed */ }
        continue;
      }
      this.#inbound.add(conn);
      const task = serveInbound(conn, context).finally(() => {
        this.#inbound.delete(conn);
        this.#tasks.delete(task);
        try {
          conn.close();
        } catch { /* already closed */ }
      });
      this.#tasks.add(task);
    }
  }
}

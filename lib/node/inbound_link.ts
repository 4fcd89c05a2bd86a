/**
 * One inbound connection of a node: the hello (within the hello timeout, naming a configured
 * peer, never our own id), then messages (acknowledged, de-duplicated per sender session,
 * refused when their clock is implausible), under an idle timeout and with backpressure when
 * the receive queue is full. Bare-integer lines from original Python nodes are messages of
 * unknown sender.
 *
 * @module
 */
import type { Incoming } from "../core/machine.ts";
import { formatPeer } from "../core/peers.ts";
import { LineDecoder } from "../core/line_decoder.ts";
import { encodeFrame, type Frame, MAX_FRAME_BYTES, ProtocolError } from "../core/wire.ts";
import { writeAll } from "../io/write_all.ts";
import { errorMessage } from "../core/errors.ts";
import type { Reporter } from "./reporter.ts";
import { type InboundAuth, type LinkCodec, PLAIN_CODEC } from "./link_codec.ts";

/** Largest read buffer of an inbound link (bytes); it starts at 4 KiB and doubles when full. */
const MAX_READ_BYTES = 65536;

/** Bounds of inbound connections. */
export interface InboundLimits {
  /** A connection must say hello within this long (ms). */
  helloTimeoutMs: number;
  /** A link is closed after this long without a frame (ms; 0 = never). */
  idleTimeoutMs: number;
  /** Reading pauses while the receive queue holds this many messages. */
  maxReceiveQueue: number;
}

/** What an inbound connection needs from its transport. */
export interface InboundContext {
  /** Our machine id. */
  selfId: number;
  /** Ids a hello may name (from `--peers id@host:port`); `null` when not known. */
  peerIds: ReadonlySet<number> | null;
  /** Bounds. */
  limits: InboundLimits;
  /** Authentication of the hello and the frames; `null` without a secret. */
  auth: InboundAuth | null;
  /** Whether bare-integer lines are accepted. */
  allowLegacy: boolean;
  /** Logs transport events. */
  report: Reporter;
  /** Queues a message: `""` queued, a reason when refused by its clock, `null` once ended. */
  deliver: (message: Incoming) => string | null;
  /** Messages in the receive queue. */
  queueLength: () => number;
  /** Time source (ms since epoch). */
  now: () => number;
  /** Highest `seq` delivered from sender `id/session`. */
  lastSeq: { get(key: string): number | undefined; set(key: string, seq: number): void };
  /**
   * Registers the link of peer `id`; returns `""`, or why it is refused (one live link per
   * peer id). `close` is called when a newer link replaces this one.
   */
  claim: (
    id: number,
    session: number,
    authenticated: boolean,
    close: (why: string) => void,
  ) => string;
  /** Releases the claim made by `claim` (no-op when it was replaced). */
  release: (id: number, close: (why: string) => void) => void;
  /** Called when a message frame arrived (drain waits for quiet links). */
  onMessage: () => void;
}

/**
 * Serves one accepted connection until it ends; never throws.
 *
 * @example
 * ```ts ignore
 * import { serveInbound } from "./inbound_link.ts";
 * await serveInbound(conn, context);
 * ```
 */
export async function serveInbound(conn: Deno.TcpConn, ctx: InboundContext): Promise<void> {
  const remote = formatPeer({ host: conn.remoteAddr.hostname, port: conn.remoteAddr.port });
  const lines = new LineDecoder({ maxLineBytes: MAX_FRAME_BYTES });
  // Small until reads fill it: a connection that never says hello, and an idle link, cost
  // little (a 64 KiB buffer per link was a third of a node's garbage while a cluster linked).
  // A link that fills its reads gets up to 64 KiB: fewer reads and acks per frame (16 KiB reads
  // could not keep up with 20 000 sealed frames/s).
  let buf = new Uint8Array(4096);
  // Changed by linkUp() too, so TypeScript must not narrow it from the initial value.
  let state = "hello" as "hello" | "auth" | "linked" | "legacy";
  let peerId: number | null = null;
  let session: number | null = null;
  let codec = PLAIN_CODEC;
  let lastFrameAt = ctx.now();
  let closedWhy: string | null = null; // why we closed it (timeout, replaced)
  let reason = "peer closed the connection";
  const close = (why: string) => {
    closedWhy ??= why;
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const watch = () => {
    const now = ctx.now();
    if (state === "hello" || state === "auth") {
      return close(`Cannot accept connection: no hello within ${ctx.limits.helloTimeoutMs} ms`);
    }
    const idle = ctx.limits.idleTimeoutMs;
    if (idle > 0 && now - lastFrameAt >= idle) {
      return close(`no frame for ${idle} ms (idle timeout)`);
    }
    timer = setTimeout(watch, idle > 0 ? lastFrameAt + idle - now : 2 ** 31 - 1);
  };
  let timer = setTimeout(watch, ctx.limits.helloTimeoutMs);
  const auth = ctx.auth?.start() ?? null;
  let ack = 0; // highest seq queued in this read: acknowledged after it
  const up = () => state === "linked" || state === "legacy";

  /** Handles one frame; `false` once the node has ended (nothing more is taken). */
  const handle = async (f: Frame): Promise<boolean> => {
    if (up()) lastFrameAt = ctx.now();
    if (f.type === "hello" && state === "hello") {
      if (f.id === ctx.selfId) {
        throw new ProtocolError(
          `Cannot accept hello.id: current value is ${f.id} (that is this node's own id)`,
        );
      }
      if (ctx.peerIds !== null && !ctx.peerIds.has(f.id)) {
        throw new ProtocolError(
          `Cannot accept hello.id: current value is ${f.id} (not a configured peer: want ${
            [...ctx.peerIds].join(", ")
          })`,
        );
      }
      peerId = f.id;
      if (auth !== null) {
        await writeAll(conn, encodeFrame(await auth.hello(f, ctx.selfId)));
        state = "auth";
        return true;
      }
      if (f.nonce !== undefined) {
        throw new ProtocolError(
          "Cannot authenticate peer: this node has no secret (give every node the same " +
            "--secret-file)",
        );
      }
      session = f.session ?? 0;
      linkUp(false);
      await writeAll(conn, encodeFrame({ type: "hello", id: ctx.selfId }));
    } else if (f.type === "auth" && state === "auth" && auth !== null) {
      codec = await auth.finish(f);
      session = f.session;
      linkUp(true);
    } else if (f.type === "msg" && state === "linked") {
      if (f.from !== peerId) {
        throw new ProtocolError(
          `Cannot accept msg.from: current value is ${f.from} (link's hello said ${peerId})`,
        );
      }
      const key = `${f.from}/${session}`;
      if (f.seq > (ctx.lastSeq.get(key) ?? 0)) {
        const m = { from: f.from, seq: f.seq, clock: f.clock, arrivedMs: ctx.now(), session };
        const refused = ctx.deliver(m);
        if (refused === null) return false; // ended: not acknowledged, the sender reports it
        if (refused !== "") {
          const { from, seq, clock } = f;
          ctx.report("PROTOCOL_ERROR", {
            peer: remote,
            reason: refused,
            ...{ from, from_session: session, seq, clock },
          });
        }
        ctx.lastSeq.set(key, f.seq);
      }
      ctx.onMessage();
      ack = f.seq;
    } else if (f.type === "legacy" && (state === "hello" || state === "legacy")) {
      if (!ctx.allowLegacy) {
        throw new ProtocolError(
          "Cannot accept a bare-integer message: this node requires authentication " +
            "(start it with --allow-legacy to accept the original format)",
        );
      }
      if (state === "hello") {
        state = "legacy";
        lastFrameAt = ctx.now();
      }
      const refused = ctx.deliver({ from: null, seq: null, clock: f.clock, arrivedMs: ctx.now() });
      if (refused === null) return false;
      if (refused !== "") ctx.report("PROTOCOL_ERROR", { peer: remote, reason: refused });
      ctx.onMessage();
    } else {
      throw new ProtocolError(
        `Cannot accept ${f.type} frame ${up() ? "after hello" : "before hello"}`,
      );
    }
    return true;
  };

  try {
    for (;;) {
      while (ctx.queueLength() >= ctx.limits.maxReceiveQueue && closedWhy === null) {
        lastFrameAt = ctx.now(); // paused by us: not idle
        await new Promise((r) => setTimeout(r, 10));
      }
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch (err) {
        reason = closedWhy ?? errorMessage(err);
        break;
      }
      if (n === null) break;
      const read = buf.subarray(0, n);
      if (n === buf.length && up() && buf.length < MAX_READ_BYTES) {
        buf = new Uint8Array(buf.length * 2); // `read` keeps the old one until decoded
      }
      ack = 0;
      let failure: unknown = null;
      let taking = true;
      const batch = lines.push(read);
      let i = 0;
      try {
        // The hello (and auth) one line at a time: the codec changes after them...
        for (; i < batch.length && !up() && taking; i++) {
          if (batch[i].trim() !== "") taking = await handle(await codec.decode(batch[i]));
        }
        // ...then the rest of the read, checked concurrently (MACs) and handled in order.
        const rest = batch.slice(i).map((l) => l.trim() === "" ? null : decodeSettled(codec, l));
        for (const r of await Promise.all(rest)) {
          if (!taking) break;
          if (r === null) lastFrameAt = ctx.now(); // keepalive
          else if ("error" in r) throw r.error;
          else taking = await handle(r.frame);
        }
      } catch (err) {
        failure = err;
      }
      // Acknowledge what was queued, also when a later frame of this read was refused.
      if (ack > 0) await writeAll(conn, await codec.encode({ type: "ack", seq: ack }));
      if (failure !== null) throw failure;
      if (!taking) return;
      if (lines.error) throw lines.error;
    }
  } catch (err) {
    reason = closedWhy ?? errorMessage(err);
    if (err instanceof ProtocolError && closedWhy === null) {
      ctx.report("PROTOCOL_ERROR", { peer: remote, reason: err.message });
    }
  } finally {
    clearTimeout(timer);
    if (peerId !== null && state === "linked") {
      ctx.release(peerId, close);
      ctx.report("LINK_DOWN", { peer: remote, peer_id: peerId, direction: "in", reason });
    }
  }
  if (closedWhy !== null && !up()) {
    ctx.report("PROTOCOL_ERROR", { peer: remote, reason: closedWhy });
  }

  function linkUp(authenticated: boolean): void {
    const refused = ctx.claim(peerId!, session!, authenticated, close);
    if (refused !== "") throw new ProtocolError(refused);
    state = "linked";
    lastFrameAt = ctx.now();
    clearTimeout(timer);
    watch();
    ctx.report("LINK_UP", { peer: remote, peer_id: peerId, direction: "in" });
  }
}

/** Decodes a line without throwing: its frame, or the error (for checks run concurrently). */
async function decodeSettled(
  codec: LinkCodec,
  line: string,
): Promise<{ frame: Frame } | { error: unknown }> {
  try {
    return { frame: await codec.decode(line) };
  } catch (error) {
    return { error };
  }
}

/**
 * What an outbound link ({@linkcode LinkOptions}) is given.
 *
 * @module
 */
import { formatPeer, type PeerAddress } from "../core/peers.ts";
import { ProtocolError } from "../core/wire.ts";
import type { OutboundAuth } from "./link_codec.ts";
import type { Reporter } from "./reporter.ts";
import type { HandshakeGate } from "./link_policy.ts";

/** Tunables of a link. */
export interface LinkOptions {
  /** Our machine id (sent in hello). */
  selfId: number;
  /** Our session: random per process, sent in our hello (after authentication with a secret). */
  session?: number;
  /** Where the peer listens (with `id`: its hello must name that id). */
  peer: PeerAddress;
  /** Logs LINK_UP / LINK_DOWN / PROTOCOL_ERROR / UNDELIVERED. */
  report: Reporter;
  /** Connect (and hello) timeout in ms; default 2000. */
  connectTimeoutMs?: number;
  /** Most frames held (queued + unacknowledged); default 10000. */
  maxQueue?: number;
  /** Send a keepalive (an empty line) after this long without writing (ms); 0 = never. */
  heartbeatMs?: number;
  /** Authentication of the hello and frames; default none. */
  auth?: OutboundAuth | null;
  /** Limits the node's connection attempts in flight (see `link_policy.ts`); default none. */
  gate?: HandshakeGate;
  /** Random numbers in [0, 1) for the retry jitter; default `Math.random`. */
  random?: () => number;
  /** Called when the link's up/down state changes. */
  onState?: () => void;
  /**
   * Called when the peer accepted {@linkcode SILENT_ATTEMPTS} connections in a row but never
   * answered the hello (an original Python node reads our hello as a bad integer and says
   * nothing), with why in words. Return `true` to take the link over: it stops, and its
   * messages are handed over with {@linkcode OutLink.takePending}.
   */
  onSilent?: (why: string) => boolean;
}

/** Connections in a row accepted without a hello answer before `onSilent` is called. */
export const SILENT_ATTEMPTS = 2;

/**
 * Checks the id in a peer's hello answer: never our own, and the one `--peers` gave, if any;
 * throws a `ProtocolError`.
 *
 * @example
 * ```ts
 * import { checkHelloId } from "./link_options.ts";
 * import assert from "node:assert/strict";
 * const link = { selfId: 1, peer: { host: "127.0.0.1", port: 5002, id: 2 } };
 * checkHelloId(2, link);
 * assert.throws(() => checkHelloId(3, link), /current value is 3 \(want 2, as given in --peers\)/);
 * ```
 */
export function checkHelloId(id: number, link: Pick<LinkOptions, "selfId" | "peer">): void {
  const want = link.peer.id;
  if (id === link.selfId || (want !== undefined && id !== want)) {
    throw new ProtocolError(
      `Cannot accept hello.id from ${formatPeer(link.peer)}: current value is ${id} (${
        want === undefined ? "that is this node's own id" : `want ${want}, as given in --peers`
      })`,
    );
  }
}

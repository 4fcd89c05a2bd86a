/**
 * What an outbound link ({@linkcode LinkOptions}) is given.
 *
 * @module
 */
import type { PeerAddress } from "../core/peers.ts";
import type { OutboundAuth } from "./link_codec.ts";
import type { Reporter } from "./reporter.ts";

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

/**
 * What the TCP transport reports about its links ({@linkcode LinkState}) and what it calls back
 * into ({@linkcode TransportHandlers}).
 *
 * @module
 */
import type { Incoming } from "../core/machine.ts";
import type { Reporter } from "./reporter.ts";

/** One outbound link as `TcpTransport.linkStates` reports it. */
export interface LinkState {
  /** The peer as `--peers` names it (`2@host:port`). */
  peer: string;
  /** The link is up now. */
  up: boolean;
  /** The link was up at some point. */
  everUp: boolean;
}

/** What the transport calls back into. */
export interface TransportHandlers {
  /** Logs transport events (usually `machine.report`, rate-limited). */
  report: Reporter;
  /** Queues a message: `""` queued, a reason when refused (clock), `null` once ended. */
  deliver: (message: Incoming) => string | null;
  /** Messages in the receive queue (reading pauses when it is full); default 0. */
  queueLength?: () => number;
  /** Time source (ms since epoch), for arrival times and timeouts. */
  now: () => number;
  /** Called when an outbound link goes up or down. */
  onLinkChange?: () => void;
  /** One line for the user (stderr): a peer switched to the legacy protocol, or could not be. */
  notice?: (text: string) => void;
}

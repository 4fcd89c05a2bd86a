/**
 * The outbound link to one peer: an {@linkcode OutLink} (our protocol) or, for a peer marked
 * `legacy:` or one that never answers a hello, a {@linkcode LegacyLink} (the original
 * Python protocol). The switch is logged (LEGACY_PEER) and told on stderr once; with a secret
 * a node never switches on its own (an unauthenticated protocol must be asked for).
 *
 * @module
 */
import { formatPeer, type PeerAddress } from "../core/peers.ts";
import { LegacyLink } from "./legacy_link.ts";
import type { OutboundAuth } from "./link_codec.ts";
import type { Reporter } from "./reporter.ts";
import { OutLink } from "./tcp_link.ts";
import type { HandshakeGate } from "./link_policy.ts";

/** An outbound link of either protocol. */
export type PeerLink = OutLink | LegacyLink;

/** What {@linkcode createPeerLink} needs besides the peer. */
export interface PeerLinkContext {
  /** Our machine id. */
  selfId: number;
  /** Our session (sent in our hellos). */
  session: number;
  /** Logs transport events. */
  report: Reporter;
  /** Connect (and hello) timeout per attempt (ms). */
  connectTimeoutMs?: number;
  /** Most frames held per link. */
  maxQueue?: number;
  /** Keepalive interval of our links (ms; 0 = none). */
  heartbeatMs: number;
  /** Authentication of our links; `null` without a secret. */
  auth: OutboundAuth | null;
  /** Called when a link goes up or down. */
  onState?: () => void;
  /** One line for the user (stderr): a peer switched to the legacy protocol, or could not be. */
  notice?: (text: string) => void;
  /** Limits the node's connection attempts in flight (see `link_policy.ts`). */
  gate?: HandshakeGate;
  /** Puts `next` in the place of `old` (a peer switched to the legacy protocol). */
  replace: (old: PeerLink, next: PeerLink) => void;
}

/**
 * The link to `peer`: legacy when it is marked so (LEGACY_PEER is logged), else ours, which
 * becomes legacy when the peer never answers a hello and there is no secret.
 *
 * @example
 * ```ts ignore
 * import { createPeerLink } from "./peer_link.ts";
 * const link = createPeerLink({ host: "127.0.0.1", port: 5003, legacy: true }, context);
 * link.send({ type: "msg", from: 1, seq: 1, clock: 4 });
 * ```
 */
export function createPeerLink(peer: PeerAddress, ctx: PeerLinkContext): PeerLink {
  const legacyOptions = {
    peer,
    report: ctx.report,
    connectTimeoutMs: ctx.connectTimeoutMs,
    maxQueue: ctx.maxQueue,
    onState: ctx.onState,
  };
  const address = formatPeer(peer);
  if (peer.legacy) {
    ctx.report("LEGACY_PEER", {
      peer: address,
      peer_id: peer.id ?? null,
      reason: "marked legacy (legacy:host:port): sent bare integers, one connection per " +
        "message, no acks",
    });
    return new LegacyLink(legacyOptions);
  }
  let warned = false;
  const link: OutLink = new OutLink({
    selfId: ctx.selfId,
    session: ctx.session,
    peer,
    report: ctx.report,
    connectTimeoutMs: ctx.connectTimeoutMs,
    maxQueue: ctx.maxQueue,
    onState: ctx.onState,
    heartbeatMs: ctx.heartbeatMs,
    auth: ctx.auth,
    gate: ctx.gate,
    onSilent: (why) => {
      if (ctx.auth !== null) {
        if (warned) return false;
        warned = true;
        const reason = `Cannot link to ${address}: ${why}; it may be an original (Python) ` +
          `node: not switched to the legacy protocol as this node has a secret (mark it ` +
          `legacy:${address} and give --allow-legacy; see docs/mixed_clusters.md)`;
        ctx.report("PROTOCOL_ERROR", { peer: address, reason });
        ctx.notice?.(reason);
        return false;
      }
      const reason = `${why}: taken for an original (Python) node; switched to the legacy ` +
        `protocol (bare integers, one connection per message, no acks)`;
      ctx.report("LEGACY_PEER", { peer: address, peer_id: link.peerId, reason });
      ctx.notice?.(`peer ${address}: ${reason}`);
      const pending = link.takePending();
      ctx.replace(link, new LegacyLink(legacyOptions, pending));
      return true;
    },
  });
  return link;
}

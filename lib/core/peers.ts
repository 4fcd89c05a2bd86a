/**
 * Peer address lists: `host:port,host:port`, IPv6 in brackets (`[::1]:5002`), each entry
 * optionally prefixed with the peer's machine id (`2@127.0.0.1:5002`) and with `legacy:` for
 * an original (Python) node that speaks the bare-integer protocol (`legacy:3@127.0.0.1:5003`).
 * Hosts may be DNS names: they are resolved at every connect.
 *
 * @module
 */

/** One peer address. */
export interface PeerAddress {
  /** Host name or IP (IPv6 without brackets). */
  host: string;
  /** TCP port 1..65535. */
  port: number;
  /** The peer's machine id when given (`2@host:port`): its hello must name this id. */
  id?: number;
  /**
   * An original (Python) node (`legacy:host:port`): sent bare integers, one connection per
   * message, no hello and no acks (see docs/mixed_clusters.md).
   */
  legacy?: boolean;
}

/**
 * Parses a comma-separated peer list. An empty string is no peers. A malformed entry throws
 * an error naming it; so do ids given for some entries but not all (legacy entries aside:
 * their id is optional), and an id given twice.
 *
 * @example
 * ```ts
 * import { parsePeers } from "./peers.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parsePeers("127.0.0.1:5002,[::1]:5003"), [
 *   { host: "127.0.0.1", port: 5002 },
 *   { host: "::1", port: 5003 },
 * ]);
 * assert.deepEqual(parsePeers("2@127.0.0.1:5002"), [{ host: "127.0.0.1", port: 5002, id: 2 }]);
 * ```
 */
export function parsePeers(list: string): PeerAddress[] {
  if (list.trim() === "") return [];
  const peers = list.split(",").map((entry) => parsePeer(entry.trim()));
  const withId = peers.filter((p) => p.id !== undefined);
  if (withId.length > 0 && withId.length < peers.length) {
    throw new SyntaxError(
      `Cannot parse peers as every entry or none must give an id (id@host:port): current ` +
        `value gives one for ${withId.length} of ${peers.length} entries`,
    );
  }
  const seen = new Set<number>();
  for (const p of withId) {
    if (seen.has(p.id!)) {
      throw new SyntaxError(
        `Cannot parse peers as each id must be given once: current value gives id ${p.id} twice`,
      );
    }
    seen.add(p.id!);
  }
  return peers;
}

/**
 * Parses one `host:port` or `[v6]:port` entry, optionally prefixed with the peer's id
 * (`2@host:port`) and with `legacy:` for an original (Python) node.
 *
 * @example
 * ```ts
 * import { parsePeer } from "./peers.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parsePeer("localhost:5001"), { host: "localhost", port: 5001 });
 * assert.deepEqual(parsePeer("3@[::1]:5003"), { host: "::1", port: 5003, id: 3 });
 * assert.deepEqual(parsePeer("legacy:3@10.0.0.3:5003"), {
 *   host: "10.0.0.3",
 *   port: 5003,
 *   id: 3,
 *   legacy: true,
 * });
 * ```
 */
export function parsePeer(entry: string): PeerAddress {
  const m =
    /^(legacy:)?(?:(\d{1,16})@)?(?:\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/
      .exec(entry);
  const port = m ? Number(m[5]) : NaN;
  const id = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!m || port < 1 || port > 65535 || (id !== undefined && !Number.isSafeInteger(id))) {
    throw new SyntaxError(
      `Cannot parse peer ${JSON.stringify(entry)} as it must be [legacy:][id@]host:port with ` +
        `port 1..65535 (IPv6 as [::1]:5002)`,
    );
  }
  const host = m[3] ?? m[4];
  const peer: PeerAddress = id === undefined ? { host, port } : { host, port, id };
  if (m[1] !== undefined) peer.legacy = true;
  return peer;
}

/**
 * Formats an address back as `host:port` (`[v6]:port` for IPv6), without its id: the form
 * logs use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPeer } from "./peers.ts";
 * assert.equal(formatPeer({ host: "::1", port: 5002 }), "[::1]:5002");
 * ```
 */
export function formatPeer(peer: PeerAddress): string {
  return peer.host.includes(":") ? `[${peer.host}]:${peer.port}` : `${peer.host}:${peer.port}`;
}

/**
 * Formats an address with its id when it has one (`2@host:port`) and `legacy:` for an
 * original node: the form `--peers` takes.
 *
 * @example
 * ```ts
 * import { formatPeerEntry } from "./peers.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatPeerEntry({ host: "::1", port: 5002, id: 2 }), "2@[::1]:5002");
 * assert.equal(formatPeerEntry({ host: "::1", port: 5002 }), "[::1]:5002");
 * assert.equal(formatPeerEntry({ host: "h", port: 5003, legacy: true }), "legacy:h:5003");
 * ```
 */
export function formatPeerEntry(peer: PeerAddress): string {
  const entry = peer.id === undefined ? formatPeer(peer) : `${peer.id}@${formatPeer(peer)}`;
  return peer.legacy ? `legacy:${entry}` : entry;
}

/**
 * Whether `host` is a loopback address (only this machine can connect to it).
 *
 * @example
 * ```ts
 * import { isLoopback } from "./peers.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isLoopback("127.0.0.1"), true);
 * assert.equal(isLoopback("[::1]"), true);
 * assert.equal(isLoopback("0.0.0.0"), false);
 * ```
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || h === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The entry of `peers` that is the node itself, or `null`: an entry with its own id, or its
 * own port on the address it listens on (`bind`; with a wildcard bind such as `0.0.0.0`, any
 * loopback or wildcard address). Port 0 (any free port) matches no entry.
 *
 * @example
 * ```ts
 * import { findSelfPeer } from "./peers.ts";
 * import assert from "node:assert/strict";
 * const self = { id: 1, port: 5001, bind: "127.0.0.1" };
 * assert.deepEqual(findSelfPeer([{ host: "localhost", port: 5001 }], self), {
 *   host: "localhost",
 *   port: 5001,
 * });
 * assert.equal(findSelfPeer([{ host: "127.0.0.1", port: 5002, id: 2 }], self), null);
 * assert.equal(findSelfPeer([{ host: "127.0.0.2", port: 5001 }], self), null);
 * ```
 */
export function findSelfPeer(
  peers: PeerAddress[],
  self: { id: number; port: number; bind: string },
): PeerAddress | null {
  const bind = hostKey(self.bind);
  const wildcard = bind === "0.0.0.0" || bind === "::";
  for (const p of peers) {
    if (p.id !== undefined && p.id === self.id) return p;
    if (self.port === 0 || p.port !== self.port) continue;
    const host = hostKey(p.host);
    if (host === bind) return p;
    if (wildcard && (isLoopback(host) || host === "0.0.0.0" || host === "::")) return p;
  }
  return null;
}

/** A host for comparison: no brackets, lower case, `localhost` as 127.0.0.1. */
function hostKey(host: string): string {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" ? "127.0.0.1" : h;
}

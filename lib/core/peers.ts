/**
 * Peer address lists: `host:port,host:port`, IPv6 in brackets (`[::1]:5002`).
 *
 * @module
 */

/** One peer address. */
export interface PeerAddress {
  /** Host name or IP (IPv6 without brackets). */
  host: string;
  /** TCP port 1..65535. */
  port: number;
}

/**
 * Parses a comma-separated peer list. An empty string is no peers. A malformed entry throws
 * an error naming it.
 *
 * @example
 * ```ts
 * import { parsePeers } from "./peers.ts";
 * parsePeers("127.0.0.1:5002,[::1]:5003");
 * // [{ host: "127.0.0.1", port: 5002 }, { host: "::1", port: 5003 }]
 * ```
 */
export function parsePeers(list: string): PeerAddress[] {
  if (list.trim() === "") return [];
  return list.split(",").map((entry) => parsePeer(entry.trim()));
}

/**
 * Parses one `host:port` or `[v6]:port` entry.
 *
 * @example
 * ```ts
 * import { parsePeer } from "./peers.ts";
 * parsePeer("localhost:5001"); // { host: "localhost", port: 5001 }
 * ```
 */
export function parsePeer(entry: string): PeerAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(entry);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new SyntaxError(
      `Cannot parse peer: current value is ${JSON.stringify(entry)} ` +
        `(want host:port with port 1..65535, IPv6 as [::1]:5002)`,
    );
  }
  return { host: m[1] ?? m[2], port };
}

/**
 * Formats an address back as `host:port` (`[v6]:port` for IPv6).
 *
 * @example
 * ```ts
 * import { formatPeer } from "./peers.ts";
 * formatPeer({ host: "::1", port: 5002 }); // "[::1]:5002"
 * ```
 */
export function formatPeer(peer: PeerAddress): string {
  return peer.host.includes(":") ? `[${peer.host}]:${peer.port}` : `${peer.host}:${peer.port}`;
}

/**
 * Resolves recipient addresses to machine ids when a SEND or UNDELIVERED carries `null` for
 * the id: first from the sender's own LINK_UP (direction "out") events, then, for a local
 * host, from the STARTUP `port` of another log. A "sender" here is any number the caller uses
 * for one log (the analyzer uses the incarnation index: a restarted node links anew). What cannot be resolved yet waits for a later
 * LINK_UP and is otherwise reported as unresolved.
 *
 * @module
 */

/** A message waiting for its recipient's id. */
export interface PendingMessage {
  /** Sender's seq. */
  seq: number;
  /** SEND new_clock. */
  clock: number;
  /** SEND system_time. */
  time: number;
  /** Log file of the event. */
  path: string;
  /** Its line number. */
  line: number;
  /** True for an UNDELIVERED event, false for a SEND. */
  undelivered: boolean;
}

/** A message whose recipient id was never known. */
export interface UnresolvedMessage {
  /** The sender, as given to {@link AddressBook.defer}. */
  sender: number;
  /** Recipient address as logged. */
  address: string;
  /** Sender's seq. */
  seq: number;
  /** Its SEND, if logged. */
  send?: PendingMessage;
  /** Its UNDELIVERED, if logged. */
  undelivered?: PendingMessage;
}

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|0\.0\.0\.0|::|\[::\])$/;

/**
 * Formats a `[host, port]` recipient like the `peer` strings of our events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addressOf } from "./_address_book.ts";
 * assert.equal(addressOf("::1", 5002), "[::1]:5002");
 * assert.equal(addressOf("127.0.0.1", 5002), "127.0.0.1:5002");
 * ```
 */
export function addressOf(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Address → machine id, per sender.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AddressBook } from "./_address_book.ts";
 * const book = new AddressBook(new Map([[5002, 2]]));
 * assert.equal(book.resolve(1, "127.0.0.1:5002"), 2); // a local address: by its port
 * assert.ok(Number.isNaN(book.resolve(1, "10.0.0.7:5002"))); // remote: only a LINK_UP tells
 * book.linkUp(1, "10.0.0.7:5002", 3);
 * assert.equal(book.resolve(1, "10.0.0.7:5002"), 3);
 * ```
 */
export class AddressBook {
  #ports: Map<number, number>;
  #links = new Map<number, Map<string, number>>();
  #pending = new Map<string, PendingMessage[]>();

  /** `ports`: STARTUP port → machine_id of the logs analyzed. */
  constructor(ports: Map<number, number>) {
    this.#ports = ports;
  }

  /** Records a LINK_UP "out" of `sender`; returns the messages it resolves. */
  linkUp(sender: number, peer: string, peerId: number): PendingMessage[] {
    let m = this.#links.get(sender);
    if (m === undefined) this.#links.set(sender, m = new Map());
    m.set(peer, peerId);
    const key = `${sender} ${peer}`;
    const waiting = this.#pending.get(key);
    if (waiting === undefined) return [];
    this.#pending.delete(key);
    return waiting;
  }

  /** The id of `address` as seen by `sender`, or NaN. */
  resolve(sender: number, address: string): number {
    const id = this.#links.get(sender)?.get(address);
    if (id !== undefined) return id;
    const colon = address.lastIndexOf(":");
    const host = address.slice(0, colon), port = Number(address.slice(colon + 1));
    if (LOCAL.test(host)) return this.#ports.get(port) ?? NaN;
    return NaN;
  }

  /** Parks a message until a LINK_UP of `sender` to `address`. */
  defer(sender: number, address: string, message: PendingMessage): void {
    const key = `${sender} ${address}`;
    const list = this.#pending.get(key);
    if (list === undefined) this.#pending.set(key, [message]);
    else list.push(message);
  }

  /**
   * Hands over, and forgets, the messages whose recipient was never resolved: one entry per
   * (sender, address, seq), with its SEND and/or UNDELIVERED.
   */
  takeUnresolved(): UnresolvedMessage[] {
    const out: UnresolvedMessage[] = [];
    for (const [key, list] of this.#pending) {
      const space = key.indexOf(" ");
      const sender = Number(key.slice(0, space)), address = key.slice(space + 1);
      const bySeq = new Map<number, UnresolvedMessage>();
      for (const m of list) {
        let u = bySeq.get(m.seq);
        if (u === undefined) bySeq.set(m.seq, u = { sender, address, seq: m.seq });
        if (m.undelivered) u.undelivered = m;
        else u.send = m;
      }
      out.push(...bySeq.values());
    }
    this.#pending = new Map();
    return out;
  }
}

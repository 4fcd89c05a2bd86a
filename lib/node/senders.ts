/**
 * What the listener remembers about senders: the highest `seq` delivered per sender session
 * (duplicate detection, bounded) and which peer ids have a live inbound link (one per id).
 *
 * @module
 */

/**
 * Highest `seq` delivered per `"id/session"`, forgetting the least recently used sender
 * beyond `max` (default 10 000), so a stream of made-up sessions cannot grow it without bound.
 *
 * @example
 * ```ts
 * import { SenderMemory } from "./senders.ts";
 * import assert from "node:assert/strict";
 * const m = new SenderMemory({ max: 2 });
 * m.set("1/7", 3);
 * m.set("2/8", 1);
 * m.set("3/9", 5); // forgets "1/7"
 * assert.equal(m.get("1/7"), undefined);
 * assert.equal(m.get("3/9"), 5);
 * ```
 */
export class SenderMemory {
  #max: number;
  #seq = new Map<string, number>();

  /** `max`: senders remembered. */
  constructor(options: { max?: number } = {}) {
    this.#max = options.max ?? 10_000;
  }

  /** Highest `seq` delivered from `key`. */
  get(key: string): number | undefined {
    return this.#seq.get(key);
  }

  /** Records `seq` as delivered from `key` (most recently used). */
  set(key: string, seq: number): void {
    this.#seq.delete(key);
    this.#seq.set(key, seq);
    if (this.#seq.size > this.#max) this.#seq.delete(this.#seq.keys().next().value!);
  }
}

/** A live inbound link as registered. */
export interface LiveLink {
  /** The sender's session. */
  session: number;
  /** Whether the link proved the shared secret. */
  authenticated: boolean;
  /** Closes the link, saying why. */
  close: (why: string) => void;
}

/**
 * One live inbound link per peer id. A second link claiming the id replaces the first when it
 * is authenticated or has the same session (the peer reconnected: its old connection is dead
 * to it); otherwise it is refused while the first lasts (without a secret anyone may claim
 * an id, so a newcomer must not cut a peer's link).
 *
 * @example
 * ```ts
 * import { LiveLinks } from "./senders.ts";
 * import assert from "node:assert/strict";
 * const links = new LiveLinks();
 * const closed: string[] = [];
 * const first = (why: string) => closed.push(why);
 * assert.equal(links.claim(2, { session: 5, authenticated: false, close: first }), "");
 * assert.match(links.claim(2, { session: 6, authenticated: false, close: () => {} }), /refused/);
 * assert.equal(links.claim(2, { session: 5, authenticated: false, close: () => {} }), "");
 * assert.deepEqual(closed, ["replaced by a newer link from peer 2"]);
 * ```
 */
export class LiveLinks {
  #live = new Map<number, LiveLink>();

  /** Registers `link` for peer `id`; returns `""`, or why it is refused. */
  claim(id: number, link: LiveLink): string {
    const current = this.#live.get(id);
    if (current && !link.authenticated && current.session !== link.session) {
      return `Cannot accept hello.id: current value is ${id} (peer ${id} already has a live ` +
        `link with another session; refused while that link lasts)`;
    }
    current?.close(`replaced by a newer link from peer ${id}`);
    this.#live.set(id, link);
    return "";
  }

  /** Removes the link of `id` registered with `close` (no-op when it was replaced). */
  release(id: number, close: (why: string) => void): void {
    if (this.#live.get(id)?.close === close) this.#live.delete(id);
  }
}

/**
 * How a node's outbound links pace their connection attempts, so that a large cluster started
 * on one host links instead of collapsing (BENCHMARKS.md, "Cluster"):
 *
 * - {@linkcode HandshakeGate}: at most a few connects + hellos in flight per node. With every
 *   link of 95 peers handshaking at once, each step of each handshake waited behind all the
 *   others on an overloaded host, so handshakes outlived their timeout, were cut and started
 *   again: more work, longer waits (96 nodes never linked). In turns, each handshake is quick.
 * - {@linkcode linkOrder}: each node starts with the peers after it (ids above its own, then
 *   wrapping around), so the first connections spread over every listener instead of all
 *   arriving at node 1.
 * - {@linkcode retryDelay}: exponential backoff with jitter, so links that failed together do
 *   not retry together.
 *
 * @module
 */

/** Retry backoff of a link: the first wait, and the longest (ms). */
export const BACKOFF = { firstMs: 50, maxMs: 2000 } as const;

/** Connects + hellos a node runs at once by default. */
export const HANDSHAKES_AT_ONCE = 8;

/**
 * The wait before the next attempt after `backoffMs` (the backoff step, doubled by
 * {@linkcode nextBackoff}): half of it fixed, half random, so it is never shorter than half a
 * step. `random` gives numbers in [0, 1).
 *
 * @example
 * ```ts
 * import { retryDelay } from "./link_policy.ts";
 * import assert from "node:assert/strict";
 * assert.equal(retryDelay(1000, () => 0), 500);
 * assert.equal(retryDelay(1000, () => 0.5), 750);
 * assert.ok(retryDelay(1000, Math.random) < 1000);
 * ```
 */
export function retryDelay(backoffMs: number, random: () => number): number {
  return backoffMs / 2 + random() * (backoffMs / 2);
}

/**
 * The backoff step after `backoffMs`: doubled, at most {@linkcode BACKOFF}`.maxMs`.
 *
 * @example
 * ```ts
 * import { BACKOFF, nextBackoff } from "./link_policy.ts";
 * import assert from "node:assert/strict";
 * assert.equal(nextBackoff(BACKOFF.firstMs), 100);
 * assert.equal(nextBackoff(1500), BACKOFF.maxMs);
 * ```
 */
export function nextBackoff(backoffMs: number): number {
  return Math.min(backoffMs * 2, BACKOFF.maxMs);
}

/**
 * The order in which node `selfId` starts its links to `peers` (indices into `peers`): the
 * peers with a higher id first, in increasing id, then the lower ones; peers without an id
 * keep their place at the end.
 *
 * @example
 * ```ts
 * import { linkOrder } from "./link_policy.ts";
 * import assert from "node:assert/strict";
 * const peers = [{ id: 1 }, { id: 2 }, { id: 4 }, { id: 5 }];
 * assert.deepEqual(linkOrder(peers, 3), [2, 3, 0, 1]); // 4, 5, then 1, 2
 * assert.deepEqual(linkOrder([{}, {}], 1), [0, 1]);
 * ```
 */
export function linkOrder(peers: readonly { id?: number }[], selfId: number): number[] {
  const key = (i: number) => {
    const id = peers[i].id;
    if (id === undefined) return [2, i];
    return id > selfId ? [0, id] : [1, id];
  };
  return peers.map((_, i) => i).sort((a, b) => {
    const [ga, va] = key(a);
    const [gb, vb] = key(b);
    return ga - gb || va - vb;
  });
}

/**
 * A first-come, first-served limit on connection attempts (connect + hello) in flight.
 *
 * @example
 * ```ts
 * import { HandshakeGate } from "./link_policy.ts";
 * import assert from "node:assert/strict";
 * const gate = new HandshakeGate(1);
 * const never = new AbortController().signal;
 * const first = await gate.enter(never);
 * let second = false;
 * const waiting = gate.enter(never).then((leave) => {
 *   second = true;
 *   return leave;
 * });
 * await Promise.resolve();
 * assert.equal(second, false); // the one place is taken
 * first();
 * (await waiting)();
 * assert.equal(second, true);
 * assert.equal(gate.inside, 0);
 * ```
 */
export class HandshakeGate {
  #limit: number;
  #inside = 0;
  #waiting: (() => void)[] = [];
  #held: boolean;

  /**
   * `limit`: attempts in flight at once (at least 1); `held`: admit no one until
   * {@linkcode HandshakeGate.open} (default false).
   */
  constructor(limit: number, options: { held?: boolean } = {}) {
    this.#limit = Math.max(1, Math.floor(limit));
    this.#held = options.held ?? false;
  }

  /** Whether the gate still waits for {@linkcode HandshakeGate.open}. */
  get held(): boolean {
    return this.#held;
  }

  /** Lets attempts through (after `held`), in the order they came. */
  open(): void {
    if (!this.#held) return;
    this.#held = false;
    while (this.#inside < this.#limit && this.#waiting.length > 0) this.#waiting.shift()!();
  }

  /** Attempts in flight now. */
  get inside(): number {
    return this.#inside;
  }

  /**
   * Waits for a place; resolves with the function that gives it back (call it once). When
   * `signal` aborts first, resolves with a no-op instead (nothing was taken).
   */
  enter(signal: AbortSignal): Promise<() => void> {
    const noop = () => {};
    if (signal.aborted) return Promise.resolve(noop);
    if (!this.#held && this.#inside < this.#limit) {
      this.#inside++;
      return Promise.resolve(this.#leaver());
    }
    const { promise, resolve } = Promise.withResolvers<() => void>();
    const admit = () => {
      signal.removeEventListener("abort", cancel);
      this.#inside++;
      resolve(this.#leaver());
    };
    const cancel = () => {
      this.#waiting = this.#waiting.filter((w) => w !== admit);
      resolve(noop);
    };
    this.#waiting.push(admit);
    signal.addEventListener("abort", cancel, { once: true });
    return promise;
  }

  #leaver(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#inside--;
      if (!this.#held) this.#waiting.shift()?.();
    };
  }
}

/**
 * What the message ledger keeps aside from its books: messages to machines without a log with
 * ids (unlogged, unless they turn out to be original nodes of a mixed cluster), and matched
 * messages received before they were sent by the hosts' wall clocks (clock skew).
 *
 * @module
 */

/** Which recipients are original (legacy) nodes, known once every log is read. */
export interface LegacyScope {
  /** Ids of the legacy peers our nodes named: messages to them are counted apart. */
  ids: Set<number>;
  /** Machines whose logs are in the original schema (no message ids). */
  originalIds?: Set<number>;
  /** Whether `address` was a legacy peer of incarnation `sender`. */
  isLegacy: (sender: number, address: string) => boolean;
}

/** No legacy peer. */
export const NO_LEGACY: LegacyScope = { ids: new Set(), isLegacy: () => false };

/**
 * Sends to machines without a log with ids, by recipient, until it is known which of them are
 * original nodes.
 *
 * @example
 * ```ts
 * import { NoLogSends } from "./_ledger_aside.ts";
 * import assert from "node:assert/strict";
 * const sends = new NoLogSends();
 * sends.add(3, () => "m1.log:4");
 * sends.add(9, () => "m1.log:5");
 * const out: string[] = [];
 * sends.settle({ ids: new Set([3]), isLegacy: () => false }, (e) => out.push(e));
 * assert.deepEqual(out, ["m1.log:5: sent to machine 9, which has no log here"]);
 * ```
 */
export class NoLogSends {
  #sends = new Map<number, { n: number; example: string }>();

  /** One message to machine `to` (`at`: where its SEND is, asked for the first one only). */
  add(to: number, at: () => string): void {
    const known = this.#sends.get(to);
    if (known !== undefined) known.n++;
    else {this.#sends.set(to, {
        n: 1,
        example: `${at()}: sent to machine ${to}, which has no log here`,
      });}
  }

  /** Reports each message not to a legacy peer with `unlogged`. */
  settle(legacy: LegacyScope, unlogged: (example: string) => void): void {
    for (const [to, { n, example }] of this.#sends) {
      if (legacy.ids.has(to)) continue;
      const why = legacy.originalIds?.has(to)
        ? example.replace("which has no log here", "whose log has no message ids")
        : example;
      for (let i = 0; i < n; i++) unlogged(why);
    }
  }
}

/**
 * Latencies of matched messages (receive time − send time, s): mean and max, and the clock
 * skew they show: a RECEIVE whose system_time is before its SEND's (count, largest, where).
 *
 * @example
 * ```ts
 * import { Latencies } from "./_ledger_aside.ts";
 * import assert from "node:assert/strict";
 * const l = new Latencies();
 * l.add(0.3, () => "a");
 * l.add(-0.5, () => "b");
 * assert.deepEqual(l.latency(2), { mean: -0.1, max: 0.3 });
 * assert.deepEqual(l.skew(), { count: 1, max: 0.5, example: "b" });
 * ```
 */
export class Latencies {
  #sum = 0;
  #max = -Infinity;
  #skew = { count: 0, max: 0, example: "" };

  /** One matched message, `lat` s after its SEND (`where` names it, asked when skew is new). */
  add(lat: number, where: () => string): void {
    this.#sum += lat;
    if (lat > this.#max) this.#max = lat;
    if (lat >= 0) return;
    this.#skew.count++;
    if (-lat <= this.#skew.max) return;
    this.#skew.max = -lat;
    this.#skew.example = where();
  }

  /** Mean and max over `matched` messages, `null` when none. */
  latency(matched: number): { mean: number; max: number } | null {
    return matched > 0 ? { mean: this.#sum / matched, max: this.#max } : null;
  }

  /** The skew seen, or `null` when none. */
  skew(): { count: number; max: number; example: string } | null {
    return this.#skew.count > 0 ? { ...this.#skew } : null;
  }
}

/**
 * The check that the Lamport order (clock, ties by machine id) is a linear extension of
 * happened-before, done per edge (consecutive events of a machine, and send → receive of each
 * matched message): if every edge goes forward, every causal chain does.
 *
 * @module
 */

/** The linear-extension check: every edge a → b has (L(a), id(a)) < (L(b), id(b)). */
export interface ExtensionCheck {
  /** Edges checked. */
  checked: number;
  /** Edges where the Lamport order goes the other way. */
  failed: number;
  /** The first violations, `file:line: what`. */
  violations: string[];
}

/**
 * Accumulates the check, and whether every edge raised the Lamport value strictly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExtensionChecker } from "./_extension_check.ts";
 * const c = new ExtensionChecker();
 * c.programEdge(1, 2, () => "a.log:3");
 * c.messageEdge({ l: 3, id: 2 }, { l: 3, id: 1 }, () => "b.log:4");
 * assert.deepEqual([c.result.checked, c.result.failed, c.strict], [2, 1, false]);
 * ```
 */
export class ExtensionChecker {
  #result: ExtensionCheck = { checked: 0, failed: 0, violations: [] };
  #strict = true;

  /** The check so far (a copy). */
  get result(): ExtensionCheck {
    return { ...this.#result, violations: [...this.#result.violations] };
  }

  /** Whether every edge so far raised the Lamport value strictly. */
  get strict(): boolean {
    return this.#strict;
  }

  /** Consecutive events of one machine with Lamport values `before` then `after`. */
  programEdge(before: number, after: number, where: () => string): void {
    this.#result.checked++;
    if (after > before) return;
    this.#strict = false;
    this.#fail(
      () => `${where()}: Lamport ${after} is not after the machine's previous event (${before})`,
    );
  }

  /** A message from `send` to `receive` (Lamport values and machine ids). */
  messageEdge(
    send: { l: number; id: number },
    receive: { l: number; id: number },
    what: () => string,
  ): void {
    this.#result.checked++;
    if (!(send.l < receive.l)) this.#strict = false;
    if (send.l < receive.l || (send.l === receive.l && send.id < receive.id)) return;
    this.#fail(what);
  }

  #fail(what: () => string): void {
    const r = this.#result;
    if (r.failed++ < 5) r.violations.push(what());
  }
}

/**
 * The verification checks the analyzer runs and how each one counts: "holds for N/N" or the
 * first violations with `file:line`.
 *
 * @module
 */

/** How many violations of one check are listed (all are counted). */
export const MAX_LISTED = 5;

/** A check's outcome, as written to the summaries. */
export interface CheckResult {
  /** Short id, e.g. "c1_chain". */
  id: string;
  /** What is checked, one sentence. */
  description: string;
  /** False when the logs lack what the check needs (e.g. message ids). */
  available: boolean;
  /** Cases checked. */
  checked: number;
  /** Cases that failed. */
  failed: number;
  /** Cases the logs cannot decide (e.g. messages of unknown fate): neither held nor failed. */
  unknown: number;
  /** The first failures, `file:line: what`. */
  violations: string[];
  /** Why it is not available, when it is not. */
  note?: string;
}

/**
 * Accumulates one check: {@link count} each case checked, {@link fail} each one that failed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Check } from "./checks.ts";
 * const c = new Check("plus_one", "SEND/INTERNAL add exactly 1");
 * c.count(2);
 * c.fail("a.log:3: new_clock 5 != old_clock 3 + 1");
 * assert.deepEqual([c.checked, c.result().failed], [2, 1]);
 * ```
 */
export class Check {
  #checked = 0;
  #unknown = 0;
  #failed = 0;
  #violations: string[] = [];
  #available = true;
  #note = "";

  /** Short id, e.g. "c1_chain". */
  readonly id: string;
  /** What is checked, one sentence. */
  readonly description: string;

  /** A check named `id`, described by `description`. */
  constructor(id: string, description: string) {
    this.id = id;
    this.description = description;
  }

  /** Cases checked so far. */
  get checked(): number {
    return this.#checked;
  }

  /** Cases that could not be decided (not counted in {@link checked}). */
  get unknown(): number {
    return this.#unknown;
  }

  /** Counts `n` more cases checked (default 1). */
  count(n = 1): void {
    this.#checked += n;
  }

  /** Counts `n` more cases that cannot be decided (default 1). */
  undecided(n = 1): void {
    this.#unknown += n;
  }

  /** Records one failure. */
  fail(message: string): void {
    this.#failed++;
    if (this.#violations.length < MAX_LISTED) this.#violations.push(message);
  }

  /** Says what part of the logs the check covers (kept in the result's `note`). */
  limit(note: string): void {
    this.#note = note;
  }

  /** Marks the check as not available for these logs. */
  unavailable(note: string): void {
    this.#available = false;
    this.#note = note;
  }

  /** The outcome. */
  result(): CheckResult {
    const r: CheckResult = {
      id: this.id,
      description: this.description,
      available: this.#available,
      checked: this.#available ? this.#checked : 0,
      failed: this.#available ? this.#failed : 0,
      unknown: this.#available ? this.#unknown : 0,
      violations: this.#available ? [...this.#violations] : [],
    };
    if (this.#note !== "") r.note = this.#note;
    return r;
  }
}

/** The checks of one analysis, by role. */
export interface CheckSet {
  /** old_clock equals the previous new_clock (0 after STARTUP). */
  chain: Check;
  /** new_clock > old_clock. */
  increase: Check;
  /** SEND and INTERNAL: new_clock = old_clock + 1. */
  plusOne: Check;
  /** RECEIVE: new_clock = max(old_clock, msg_clock) + 1. */
  receiveRule: Check;
  /** Matched message: msg_clock = SEND new_clock and receive new_clock > it. */
  c2: Check;
  /** END final_clock equals the last new_clock. */
  finalClock: Check;
  /** Every message received, queued at END, rejected or logged undelivered; no duplicate or orphan. */
  conservation: Check;
}

/**
 * Creates the check set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createChecks } from "./checks.ts";
 * assert.equal(createChecks().chain.id, "c1_chain");
 * ```
 */
export function createChecks(): CheckSet {
  return {
    chain: new Check(
      "c1_chain",
      "C1: each SEND/RECEIVE/INTERNAL's old_clock equals the machine's previous new_clock (0 after STARTUP)",
    ),
    increase: new Check("c1_increase", "C1: each event's new_clock is greater than its old_clock"),
    plusOne: new Check("send_internal_plus_one", "SEND and INTERNAL add exactly 1 to the clock"),
    receiveRule: new Check(
      "receive_rule",
      "RECEIVE sets new_clock = max(old_clock, msg_clock) + 1",
    ),
    c2: new Check(
      "c2_matched",
      "C2/IR2: for each matched message, msg_clock equals the SEND's new_clock and the receive clock is greater",
    ),
    finalClock: new Check("final_clock", "END's final_clock equals the machine's last new_clock"),
    conservation: new Check(
      "conservation",
      "Conservation: every message sent (per recipient) is received, queued at the receiver's END, rejected by it or logged UNDELIVERED; no duplicates, no orphans",
    ),
  };
}

/**
 * All results in report order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkResults, createChecks } from "./checks.ts";
 * const checks = createChecks();
 * checks.plusOne.count();
 * const results = checkResults(checks);
 * assert.equal(results.length, 7);
 * assert.deepEqual([results[2].id, results[2].checked], ["send_internal_plus_one", 1]);
 * ```
 */
export function checkResults(set: CheckSet): CheckResult[] {
  return [
    set.chain,
    set.increase,
    set.plusOne,
    set.receiveRule,
    set.c2,
    set.finalClock,
    set.conservation,
  ].map((c) => c.result());
}

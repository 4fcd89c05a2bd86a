/**
 * Telling a deliberate second Ctrl-C from the same Ctrl-C seen twice. A terminal sends SIGINT to
 * the whole foreground process group, and `deno task` forwards the signal to its child, so
 * `run_machine` under `deno task run` receives every Ctrl-C (and a SIGTERM to the group) twice,
 * within milliseconds. A signal within {@link ECHO_WINDOW_MS} of the first counts as the same
 * one; a later one is a deliberate second signal.
 *
 * @module
 */

/** Signals this close to the first one are the same signal seen again (ms). */
export const ECHO_WINDOW_MS = 1000;

/** What a signal means: the first, an echo of it (ignore), or a deliberate second one. */
export type SignalMeaning = "first" | "echo" | "again";

/**
 * Classifies the signals of one run.
 *
 * @example
 * ```ts
 * import { SignalGate } from "./signal_gate.ts";
 * import assert from "node:assert/strict";
 * let now = 0;
 * const gate = new SignalGate({ now: () => now });
 * assert.equal(gate.accept(), "first");
 * now = 3; // deno task forwarded the same Ctrl-C
 * assert.equal(gate.accept(), "echo");
 * now = 2500; // the user pressed Ctrl-C again
 * assert.equal(gate.accept(), "again");
 * ```
 */
export class SignalGate {
  #first = NaN;
  #windowMs: number;
  #now: () => number;

  /** `windowMs`: the echo window (default {@link ECHO_WINDOW_MS}); `now`: a ms clock. */
  constructor(options: { windowMs?: number; now?: () => number } = {}) {
    this.#windowMs = options.windowMs ?? ECHO_WINDOW_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Classifies a signal that just arrived. */
  accept(): SignalMeaning {
    const now = this.#now();
    if (Number.isNaN(this.#first)) {
      this.#first = now;
      return "first";
    }
    return now - this.#first < this.#windowMs ? "echo" : "again";
  }
}

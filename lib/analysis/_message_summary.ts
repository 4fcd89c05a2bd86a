/**
 * The `messages` part of the summary: the ledger's counts and first examples, in the
 * documented JSON shape (see docs/analysis_summary_json.md).
 *
 * @module
 */
import type { MessageCounts } from "./_message_ledger.ts";
import type { MessageExamples } from "./_ledger_entry.ts";

/** Message counts (see {@link MessageCounts} for each definition). */
export interface MessageSummary {
  /** Messages sent, one per (SEND, resolved recipient). */
  sent: number;
  /** RECEIVE events carrying an id (from, seq). */
  received: number;
  /** Received messages matched to their SEND. */
  matched: number;
  /** Sent messages still queued at the receiver's END. */
  queued_at_end: number;
  /** Logged UNDELIVERED by the sender and never received. */
  undelivered: number;
  /** Refused by the receiver (a PROTOCOL_ERROR naming the message): accounted, but reported. */
  rejected: number;
  /** Refusals naming a message no SEND explains or one delivered anyway (forged, replayed). */
  rejected_other: number;
  /** The first refusals, `file:line: what`. */
  rejected_examples: string[];
  /** Logged UNDELIVERED but received anyway. */
  delivered_unacknowledged: number;
  /** Received again by a later incarnation of the recipient (resent after its restart). */
  redelivered: number;
  /** The same message received twice by one incarnation. */
  duplicates: number;
  /** Received (or queued) with an id that no SEND matches. */
  orphans: number;
  /** Sent and neither received, queued, rejected nor logged undelivered. */
  unaccounted: number;
  /** Fate unknown: a log the message depends on ends without END (not decided, counted). */
  fate_unknown: number;
  /** The first of them, `file:line: why`. */
  fate_unknown_examples: string[];
  /** SEND recipients whose id the logs do not resolve. */
  unresolved_recipients: number;
  /** The first of them, `file:line (address)`. */
  unresolved_examples: string[];
  /** Bare-integer messages received or queued (sender unknown: outside conservation). */
  legacy: number;
  /** Messages to or from a machine (or incarnation) without a log here (outside conservation). */
  unlogged: number;
  /** The first of them, `file:line: what`. */
  unlogged_examples: string[];
  /** Matched: RECEIVE system_time − SEND system_time (s). */
  latency: { mean: number; max: number } | null;
  /** RECEIVEs before their SEND by system_time (clock skew): count, largest (s), where. */
  skew: { count: number; max: number; example: string } | null;
}

/**
 * Message counts in summary form.
 *
 * @example
 * ```ts
 * import { messageSummary } from "./_message_summary.ts";
 * import { MessageLedger } from "./_message_ledger.ts";
 * import { AddressBook } from "./_address_book.ts";
 * import { createChecks } from "./checks.ts";
 * import assert from "node:assert/strict";
 * const ledger = new MessageLedger([{ machineId: 1, session: null, path: "m1.log" }], {
 *   addresses: new AddressBook(new Map()), checks: createChecks(),
 * });
 * ledger.send({ sender: 0, seq: 1, clock: 1, time: 0, path: "m1.log", line: 2 }, 9);
 * const m = messageSummary(ledger.finish([]), ledger.examples);
 * assert.deepEqual([m.sent, m.unlogged], [0, 1]);
 * ```
 */
export function messageSummary(c: MessageCounts, examples: MessageExamples): MessageSummary {
  return {
    sent: c.sent,
    received: c.received,
    matched: c.matched,
    queued_at_end: c.queuedAtEnd,
    undelivered: c.undelivered,
    rejected: c.rejected,
    rejected_other: c.rejectedOther,
    rejected_examples: examples.rejected,
    delivered_unacknowledged: c.deliveredUnacknowledged,
    redelivered: c.redelivered,
    duplicates: c.duplicates,
    orphans: c.orphans,
    unaccounted: c.unaccounted,
    fate_unknown: c.fateUnknown,
    fate_unknown_examples: examples.fateUnknown,
    unresolved_recipients: c.unresolvedRecipients,
    unresolved_examples: examples.unresolved,
    legacy: c.legacy,
    unlogged: c.unlogged,
    unlogged_examples: examples.unlogged,
    latency: c.latency,
    skew: c.skew,
  };
}

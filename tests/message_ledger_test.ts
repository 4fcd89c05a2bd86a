/**
 * The message ledger on its own: every outcome a message can have, fed in any order, with the
 * conservation and C2 checks it keeps.
 */
import assert from "node:assert/strict";
import { AddressBook } from "../lib/analysis/_address_book.ts";
import {
  type ArrivedMessage,
  type IncarnationEnd,
  MessageLedger,
  type SentMessage,
} from "../lib/analysis/_message_ledger.ts";
import { type CheckSet, createChecks } from "../lib/analysis/checks.ts";

const PATHS = ["m1.log", "m2.log", "m3.log"];

/** A ledger over machines 1..3 (one log each, ports 5001..5003). */
function ledger(): { ledger: MessageLedger; checks: CheckSet } {
  const checks = createChecks();
  const ports = new Map([[5001, 1], [5002, 2], [5003, 3]]);
  const incarnations = PATHS.map((path, i) => ({ machineId: i + 1, session: null, path }));
  return {
    ledger: new MessageLedger(incarnations, { addresses: new AddressBook(ports), checks }),
    checks,
  };
}

/** A SEND line of machine `sender` + 1 (incarnation index `sender`). */
function sent(sender: number, seq: number, o: { clock?: number; time?: number } = {}): SentMessage {
  return {
    sender,
    seq,
    clock: o.clock ?? seq,
    time: o.time ?? seq,
    path: PATHS[sender],
    line: 10 + seq,
  };
}

/** A RECEIVE (or queued or refused) line in incarnation `at` of a message from machine `from`. */
function arrived(
  at: number,
  m: { from: number; seq: number; msgClock?: number; time?: number; line?: number },
): ArrivedMessage {
  return {
    at,
    from: m.from,
    fromSession: NaN,
    seq: m.seq,
    msgClock: m.msgClock ?? m.seq,
    newClock: (m.msgClock ?? m.seq) + 1,
    time: m.time ?? m.seq + 0.5,
    path: PATHS[at],
    line: m.line ?? 20 + m.seq,
  };
}

/** How each log ended: all with END unless listed in `open` (incarnation → last time). */
function ends(open: Record<number, number> = {}): IncarnationEnd[] {
  return PATHS.map((path, i) => ({
    machine: i,
    machineId: i + 1,
    path,
    finished: !(i in open),
    firstTime: 0,
    lastTime: open[i] ?? 100,
  }));
}

Deno.test("MessageLedger matches a RECEIVE to its SEND in either order, with latency and C2", () => {
  const { ledger: l, checks } = ledger();
  l.send(sent(0, 1, { time: 1 }), 2);
  l.receive(arrived(1, { from: 1, seq: 1, time: 1.25 }));
  l.receive(arrived(2, { from: 1, seq: 2, time: 2 })); // logged before its SEND (clock skew)
  l.send(sent(0, 2, { time: 1.5 }), 3);
  const c = l.finish(ends());
  assert.deepEqual([c.sent, c.received, c.matched, c.unaccounted, c.orphans], [2, 2, 2, 0, 0]);
  assert.deepEqual(c.latency, { mean: 0.375, max: 0.5 });
  const c2 = checks.c2.result();
  assert.deepEqual([c2.checked, c2.failed], [2, 0]);
  assert.deepEqual([checks.conservation.checked, checks.conservation.result().failed], [2, 0]);
});

Deno.test("MessageLedger fails C2 when msg_clock is not the SEND's clock, naming both lines", () => {
  const { ledger: l, checks } = ledger();
  l.send(sent(0, 1, { clock: 5 }), 2);
  l.receive(arrived(1, { from: 1, seq: 1, msgClock: 4 }));
  l.finish(ends());
  assert.deepEqual(checks.c2.result().violations, [
    "m2.log:21: msg_clock 4 / receive clock 5 vs SEND new_clock 5 at m1.log:11",
  ]);
});

Deno.test("MessageLedger accounts undelivered, queued at END and delivered-but-unacknowledged messages", () => {
  const { ledger: l, checks } = ledger();
  l.send(sent(0, 1), 2);
  l.undelivered(sent(0, 1), 2); // never received
  l.send(sent(0, 2), 2);
  l.queued(arrived(1, { from: 1, seq: 2 })); // in machine 2's END queue
  l.send(sent(0, 3), 3);
  l.receive(arrived(2, { from: 1, seq: 3 }));
  l.undelivered(sent(0, 3), 3); // logged undelivered, yet received
  const c = l.finish(ends());
  assert.deepEqual(
    [c.sent, c.matched, c.undelivered, c.queuedAtEnd, c.deliveredUnacknowledged, c.unaccounted],
    [3, 1, 1, 1, 1, 0],
  );
  assert.equal(checks.conservation.result().failed, 0);
});

Deno.test("MessageLedger counts a duplicate, an orphan and an unaccounted message as conservation failures", () => {
  const { ledger: l, checks } = ledger();
  l.send(sent(0, 1), 2);
  l.receive(arrived(1, { from: 1, seq: 1 }));
  l.receive(arrived(1, { from: 1, seq: 1, line: 40 })); // the same message again
  l.receive(arrived(1, { from: 3, seq: 7 })); // machine 3 never sent seq 7
  l.send(sent(0, 2), 3); // sent, then nothing at all
  const c = l.finish(ends());
  assert.deepEqual([c.duplicates, c.orphans, c.unaccounted], [1, 1, 1]);
  assert.deepEqual(checks.conservation.result().violations, [
    "m2.log:40: duplicate: message (from 1, seq 1) received again",
    "m1.log:12: unaccounted: sent, never received, queued, rejected or undelivered",
    "m2.log:27: orphan: no SEND matches this message",
  ]);
});

Deno.test("MessageLedger leaves a message undecided when the recipient's log ends without END", () => {
  const { ledger: l, checks } = ledger();
  l.send(sent(0, 1, { time: 3 }), 2); // recipient's log ends at t = 2: it may have taken it in
  l.send(sent(0, 2, { time: 30 }), 2); // sent long after: owed an UNDELIVERED
  const c = l.finish(ends({ 1: 2 }));
  assert.deepEqual([c.fateUnknown, c.unaccounted], [1, 1]);
  const cons = checks.conservation.result();
  assert.deepEqual([cons.checked, cons.unknown, cons.failed], [1, 1, 1]);
  assert.match(l.examples.fateUnknown[0], /^m1\.log:11: fate unknown: recipient 2's log/);
});

Deno.test("MessageLedger names messages to or from machines without a log, outside conservation", () => {
  const { ledger: l, checks } = ledger();
  l.send(sent(0, 1), 9);
  l.receive(arrived(1, { from: 8, seq: 1 }));
  l.legacy();
  const c = l.finish(ends());
  assert.deepEqual([c.sent, c.unlogged, c.legacy], [0, 2, 1]);
  assert.deepEqual(l.examples.unlogged.toSorted(), [
    "m1.log:11: sent to machine 9, which has no log here",
    "m2.log:21: message from machine 8, which has no log here",
  ]);
  assert.equal(checks.conservation.result().failed, 0);
});

Deno.test("MessageLedger resolves a remote recipient address at its LINK_UP, also after the SEND", () => {
  const { ledger: l } = ledger();
  const remote = { to: NaN, address: "10.0.0.3:7000" };
  l.sendTo(sent(0, 1), remote); // parked: nothing says which machine 10.0.0.3:7000 is
  l.linkUp(0, { peer: "10.0.0.3:7000", peerId: 3 });
  l.receive(arrived(2, { from: 1, seq: 1 }));
  l.sendTo(sent(0, 2), { to: NaN, address: "127.0.0.1:5002" }); // local: by its port
  l.receive(arrived(1, { from: 1, seq: 2 }));
  const c = l.finish(ends());
  assert.deepEqual([c.sent, c.matched, c.unresolvedRecipients], [2, 2, 0]);
});

Deno.test("MessageLedger counts a refused message as rejected, not lost", () => {
  const { ledger: l, checks } = ledger();
  l.send(sent(0, 1), 2);
  l.rejected(arrived(1, { from: 1, seq: 1, msgClock: 1e12 }));
  l.rejected(arrived(1, { from: 1, seq: 99 })); // no SEND explains it: forged or replayed
  const c = l.finish(ends());
  assert.deepEqual([c.rejected, c.rejectedOther, c.unaccounted], [1, 1, 0]);
  assert.equal(checks.conservation.result().failed, 0);
  assert.deepEqual(l.examples.rejected, [
    "m2.log:21: rejected by the receiver: message (from 1, seq 1, clock 1000000000000)",
    "m2.log:119: rejected by the receiver: message (from 1, seq 99, clock 99)",
  ]);
});

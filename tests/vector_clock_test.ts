import assert from "node:assert/strict";
import { VectorClock } from "../lib/causality/vector_clock.ts";
import { EqualLamportPairs } from "../lib/causality/_equal_lamport.ts";
import { CausalityTracker, MAX_PROCESSES } from "../lib/causality/tracker.ts";
import { CausalInput, CK_INTERNAL, CK_RECEIVE, CK_SEND, CK_START } from "../lib/causality/input.ts";
import { Prng } from "../lib/core/prng.ts";

/** Fills the reused input record `e` for the next event: no ids, then `fields`. */
function set(e: CausalInput, fields: Partial<CausalInput>): void {
  e.clearIds();
  Object.assign(e, fields);
}

Deno.test("VectorClock.compare() gives before / after / equal / concurrent entry by entry", () => {
  const v = (o: Record<number, number>) => new VectorClock(o);
  assert.equal(v({ 1: 1 }).compare(v({ 1: 1, 2: 1 })), "before");
  assert.equal(v({ 1: 1, 2: 1 }).compare(v({ 1: 1 })), "after");
  assert.equal(v({}).compare(v({ 5: 0 })), "equal");
  assert.equal(v({ 1: 2 }).compare(v({ 2: 1 })), "concurrent");
  assert.equal(v({ 1: 2, 3: 1 }).compare(v({ 1: 2, 2: 1 })), "concurrent");
  assert.equal(new VectorClock([[3, 2], [1, 4]]).toString(), "{1: 4, 3: 2}");
  assert.equal(v({ 1: 4, 3: 2 }).size(), 6);
});

Deno.test("VectorClock rejects negative, fractional and repeated entries, naming them", () => {
  assert.throws(
    () => new VectorClock({ 1: -1 }),
    /count of machine 1 must be an integer >= 0: current value is -1/,
  );
  assert.throws(
    () => new VectorClock([[1.5, 1]]),
    /machine id must be an integer >= 0: current value is 1.5/,
  );
  assert.throws(() => new VectorClock([[2, 1], [2, 3]]), /machine 2 is given twice/);
});

Deno.test("EqualLamportPairs: sliding-window count equals counting every pair", () => {
  const rng = new Prng(7);
  for (let round = 0; round < 20; round++) {
    // Machines with strictly rising values, fed interleaved, settled as the tracker does.
    const machines = Array.from({ length: 1 + (round % 5) }, () => {
      const vals: number[] = [];
      let l = 0;
      for (let k = 0; k < 300; k++) vals.push(l += 1 + Math.floor(rng.next() * 3));
      return vals;
    });
    const eq = new EqualLamportPairs();
    const pos = machines.map(() => 0);
    let fed = 0;
    while (pos.some((p, i) => p < machines[i].length)) {
      const i = Math.floor(rng.next() * machines.length);
      if (pos[i] >= machines[i].length) continue;
      eq.add(machines[i][pos[i]++]);
      if (++fed % 7 === 0) {
        const floor = Math.min(
          ...machines.map((
            m,
            j,
          ) => (pos[j] < m.length ? (pos[j] > 0 ? m[pos[j] - 1] + 1 : 0) : Infinity)),
        );
        if (floor !== Infinity) eq.settle(floor);
      }
    }
    const counts = new Map<number, number>();
    for (const m of machines) for (const l of m) counts.set(l, (counts.get(l) ?? 0) + 1);
    let want = 0;
    for (const c of counts.values()) want += c * (c - 1) / 2;
    assert.equal(eq.finish(), want, `round ${round}`);
    assert.equal(eq.invalid, 0);
  }
});

Deno.test("tracker: more machines than it can count exactly is skipped with the reason", () => {
  const procs = Array.from({ length: MAX_PROCESSES + 1 }, (_, i) => ({ machineId: i, label: "" }));
  const s = new CausalityTracker(procs).finish().summary;
  assert.equal(s.available, false);
  assert.match(s.reason!, /2049 machines is more than 2048/);
});

Deno.test("tracker: too many vector clocks in flight is skipped with the reason, not a crash", () => {
  const t = new CausalityTracker([{ machineId: 1, label: "a" }, { machineId: 2, label: "b" }], {
    maxEntries: 4,
  });
  const e = new CausalInput();
  // Machine 1 sends 10 messages, each after learning something new from machine 2.
  for (let k = 1; k <= 10; k++) {
    set(e, { kind: CK_SEND, lamport: 4 * k, seq: k });
    e.push(1);
    t.event(1, e); // machine 2 → machine 1
    set(e, { kind: CK_RECEIVE, lamport: 4 * k + 1, from: 2, seq: k });
    t.event(0, e);
    set(e, { kind: CK_SEND, lamport: 4 * k + 2, seq: k });
    e.push(3); // to a machine without a log: held until the end
    t.event(0, e);
    set(e, { kind: CK_INTERNAL, lamport: 4 * k + 3 });
    t.event(1, e);
  }
  const s = t.finish().summary;
  assert.equal(s.available, false);
  assert.match(
    s.reason!,
    /Cannot hold more vector clocks: 2 snapshots of 2 entries are in use by messages in flight/,
  );
});

Deno.test("tracker: more merge work than the budget is skipped with the reason and the progress", () => {
  const t = new CausalityTracker([{ machineId: 1, label: "a" }, { machineId: 2, label: "b" }], {
    maxWork: 10,
  });
  const e = new CausalInput();
  for (let k = 1; k <= 20; k++) {
    set(e, { kind: CK_SEND, lamport: 2 * k - 1, seq: k });
    e.push(2);
    t.event(0, e);
    set(e, { kind: CK_RECEIVE, lamport: 2 * k, from: 1, seq: k });
    t.event(1, e);
  }
  const s = t.finish().summary;
  assert.equal(s.available, false);
  assert.match(
    s.reason!,
    /exact vector clocks for 2 machines take more than 1e\+1 entry updates .*stopped after 5 messages/,
  );
});

Deno.test("tracker: with sessions, a message is matched to the SEND of its sender's incarnation", () => {
  // Machine 2 ran twice (sessions 5 and 9); both incarnations sent a seq 1 to machine 1.
  const t = new CausalityTracker([
    { machineId: 1, label: "m1" },
    { machineId: 2, label: "m2 first" },
    { machineId: 2, label: "m2 second" },
  ]);
  const e = new CausalInput();
  const start = (p: number, session: number) => {
    set(e, { kind: CK_START, session });
    t.event(p, e);
  };
  for (const [p, session] of [[0, 1], [1, 5], [2, 9]]) start(p, session);
  set(e, { kind: CK_INTERNAL, lamport: 1 });
  t.event(1, e); // first incarnation: INTERNAL, then SEND seq 1
  set(e, { kind: CK_SEND, lamport: 2, seq: 1 });
  e.push(1);
  t.event(1, e);
  set(e, { kind: CK_SEND, lamport: 1, seq: 1 });
  e.push(1);
  t.event(2, e); // second incarnation: SEND seq 1 as its first event
  set(e, { kind: CK_RECEIVE, lamport: 3, from: 2, fromSession: 9, seq: 1 });
  t.event(0, e);
  const { summary } = t.finish();
  // The receive has the second incarnation's SEND (1 event) in its past, not the first one's 2.
  assert.equal(summary.pairs.ordered, 1 + 1); // first incarnation's program order + the message
  assert.deepEqual(
    summary.machine_pairs.map((p) => [p.machines, p.concurrent]),
    [[[1, 2], 2], [[1, 2], 0], [[2, 2], 2]],
  );
});

import assert from "node:assert/strict";
import { Machine } from "../lib/core/machine.ts";
import { Prng } from "../lib/core/prng.ts";
import { fakeMachine } from "./support/fake.ts";

// Ported from the original's test_machine.py, made stronger.

Deno.test("Machine.start() logs STARTUP with a rate in 1..6 and our added fields", () => {
  for (let seed = 0; seed < 50; seed++) {
    const { machine, events } = fakeMachine({ random: new Prng(seed), seed, port: 5001 });
    machine.start();
    assert.equal(events.length, 1);
    const e = events[0];
    assert.equal(e.event, "STARTUP");
    if (e.event !== "STARTUP") return;
    assert.deepEqual(Object.keys(e), [
      "event",
      "system_time",
      "machine_id",
      "clock_rate",
      "port",
      "peers",
      "seed",
      "die_sides",
      "session",
    ]);
    assert.equal(e.session, 0); // fakeMachine gives none
    assert.ok(Number.isInteger(e.clock_rate) && e.clock_rate >= 1 && e.clock_rate <= 6);
    assert.equal(e.system_time, 1_700_000_000);
    assert.deepEqual(e.peers, ["127.0.0.1:5002", "127.0.0.1:5003"]);
    assert.equal(e.seed, seed);
    assert.equal(e.port, 5001);
  }
});

Deno.test("Machine STARTUP logs the seed of its Prng when no seed is given (the README example)", () => {
  const lines: Record<string, unknown>[] = [];
  const m = new Machine({
    id: 1,
    peers: [],
    transport: { send() {}, peerId: () => null },
    now: () => 0,
    random: new Prng(42),
    log: (e) => lines.push({ ...e }),
  });
  m.start();
  assert.equal(lines[0].seed, 42);
  const explicit = fakeMachine({ random: new Prng(42), seed: 7 });
  explicit.machine.start();
  assert.equal((explicit.events[0] as { seed: number }).seed, 7);
  const plain = fakeMachine({ random: { next: () => 0.5 } });
  plain.machine.start();
  assert.equal((plain.events[0] as { seed: number }).seed, 0);
});

Deno.test("Machine rates cover 1..6 across seeds and a fixed --rate is kept", () => {
  const rates = new Set<number>();
  for (let seed = 0; seed < 200; seed++) {
    rates.add(fakeMachine({ random: new Prng(seed) }).machine.rate);
  }
  assert.deepEqual([...rates].sort(), [1, 2, 3, 4, 5, 6]);
  assert.equal(fakeMachine({ rate: 5000 }).machine.rate, 5000);
  assert.equal(fakeMachine({ rateRange: [7, 7] }).machine.rate, 7);
});

Deno.test("Machine.internal() adds 1 and logs INTERNAL with old/new clock", () => {
  const { machine, events } = fakeMachine();
  machine.start();
  machine.internal();
  machine.internal();
  assert.deepEqual(
    events.slice(1).map((e) => e.event === "INTERNAL" && [e.old_clock, e.new_clock]),
    [
      [0, 1],
      [1, 2],
    ],
  );
  assert.deepEqual(Object.keys(events[1]), [
    "event",
    "system_time",
    "machine_id",
    "old_clock",
    "new_clock",
  ]);
});

Deno.test("Machine.receive() of 10 sets clock to 11 and logs from/seq/msg_clock", () => {
  const { machine, events, advance } = fakeMachine();
  machine.start();
  machine.enqueue({ from: 2, seq: 4, clock: 10, arrivedMs: 1_700_000_000_000, session: 77 });
  advance(250);
  machine.tick();
  assert.equal(machine.clock, 11);
  assert.deepEqual(events[1], {
    event: "RECEIVE",
    system_time: 1_700_000_000.25,
    machine_id: 1,
    old_clock: 0,
    new_clock: 11,
    queue_len: 0,
    from: 2,
    seq: 4,
    msg_clock: 10,
    arrival_time: 1_700_000_000,
    from_session: 77,
  });
});

Deno.test("Machine.receive() sets clock to max(local, msg) + 1 and takes one message per tick", () => {
  const { machine, events } = fakeMachine();
  machine.start();
  for (let i = 0; i < 5; i++) machine.internal(); // clock 5
  machine.enqueue({ from: 2, seq: 1, clock: 3, arrivedMs: 0 });
  machine.enqueue({ from: 3, seq: 1, clock: 40, arrivedMs: 0 });
  machine.tick();
  assert.equal(machine.clock, 6); // max(5, 3) + 1
  assert.equal(machine.queueLength, 1);
  machine.tick();
  assert.equal(machine.clock, 41); // max(6, 40) + 1
  const receives = events.filter((e) => e.event === "RECEIVE");
  assert.deepEqual(receives.map((e) => e.event === "RECEIVE" && e.queue_len), [1, 0]);
});

Deno.test("Machine.send() logs recipients, ids and one seq, and hands one frame per peer", () => {
  const { machine, events, sent } = fakeMachine();
  machine.start();
  machine.send([0, 1]);
  machine.send([1]);
  assert.deepEqual(events[1], {
    event: "SEND",
    system_time: 1_700_000_000,
    machine_id: 1,
    old_clock: 0,
    new_clock: 1,
    recipients: [["127.0.0.1", 5002], ["127.0.0.1", 5003]],
    to: [2, 3],
    seq: 1,
  });
  assert.deepEqual(sent, [
    { peer: 0, frame: { type: "msg", from: 1, seq: 1, clock: 1 } },
    { peer: 1, frame: { type: "msg", from: 1, seq: 1, clock: 1 } },
    { peer: 1, frame: { type: "msg", from: 1, seq: 2, clock: 2 } },
  ]);
  assert.throws(() => machine.send([2]), /Cannot send to peer: current index is 2/);
});

Deno.test("Machine.end() logs final_clock and every message still queued", () => {
  const { machine, events } = fakeMachine();
  machine.start();
  machine.internal();
  machine.enqueue({ from: 2, seq: 7, clock: 3, arrivedMs: 0, session: 5 });
  machine.enqueue({ from: null, seq: null, clock: 9, arrivedMs: 0 });
  machine.end();
  machine.end({ reason: "failed", detail: "too late" }); // idempotent
  assert.deepEqual(events.at(-1), {
    event: "END",
    system_time: 1_700_000_000,
    machine_id: 1,
    final_clock: 1,
    queued: 2,
    queued_msgs: [
      { from: 2, seq: 7, clock: 3, session: 5 },
      { from: null, seq: null, clock: 9, session: null },
    ],
    reason: "completed",
    detail: "",
  });
  assert.equal(events.length, 3);
  assert.throws(() => machine.tick(), /Cannot tick: machine 1 is ended/);
  assert.equal(
    machine.report("LINK_DOWN", { peer: "x:1", peer_id: 2, direction: "in", reason: "r" }),
    false,
  );
});

Deno.test("Machine.enqueue() rejects invalid clock values and never touches the clock", () => {
  const { machine } = fakeMachine();
  machine.start();
  for (const bad of [-1, 1.5, 1e309, 2 ** 53, NaN]) {
    assert.throws(
      () => machine.enqueue({ from: 2, seq: 1, clock: bad, arrivedMs: 0 }),
      /Cannot enqueue message/,
    );
  }
  assert.equal(machine.queueLength, 0);
  assert.equal(machine.clock, 0);
});

Deno.test("Machine.tick() dice: 1 → first peer, 2 → second, 3 → all, else INTERNAL (fixed seed)", () => {
  const { machine, events } = fakeMachine({ random: new Prng(42) });
  machine.start();
  const n = 100_000;
  for (let i = 0; i < n; i++) machine.tick();
  const counts = { first: 0, second: 0, all: 0, internal: 0 };
  for (const e of events) {
    if (e.event === "INTERNAL") counts.internal++;
    if (e.event === "SEND") {
      const key = e.to.length === 2 ? "all" : e.to[0] === 2 ? "first" : "second";
      counts[key]++;
    }
  }
  // Each send outcome has probability 1/10, INTERNAL 7/10: within 4 standard deviations.
  for (const k of ["first", "second", "all"] as const) {
    assert.ok(Math.abs(counts[k] - n / 10) < 400, `${k}: ${counts[k]}`);
  }
  assert.ok(Math.abs(counts.internal - 0.7 * n) < 600, `internal: ${counts.internal}`);
  assert.equal(machine.clock, n); // every action here adds exactly 1
  // Same seed → same choices.
  const again = fakeMachine({ random: new Prng(42) });
  again.machine.start();
  for (let i = 0; i < n; i++) again.machine.tick();
  assert.deepEqual(again.events, events);
});

Deno.test("Machine.tick() with --die-sides 3 never makes INTERNAL events", () => {
  const { machine, events } = fakeMachine({ dieSides: 3 });
  machine.start();
  for (let i = 0; i < 1000; i++) machine.tick();
  assert.equal(events.filter((e) => e.event === "INTERNAL").length, 0);
  assert.equal(events.filter((e) => e.event === "SEND").length, 1000);
});

Deno.test("Machine.tick() fallbacks: no peers → INTERNAL; one peer → rolls 1..3 send to it", () => {
  const none = fakeMachine({ peers: [], dieSides: 3 });
  none.machine.start();
  for (let i = 0; i < 100; i++) none.machine.tick();
  assert.equal(none.events.filter((e) => e.event === "INTERNAL").length, 100);
  const one = fakeMachine({ peers: [{ host: "h", port: 1 }], dieSides: 3 });
  one.machine.start();
  for (let i = 0; i < 100; i++) one.machine.tick();
  assert.equal(one.sent.length, 100);
  assert.ok(one.sent.every((s) => s.peer === 0));
});

Deno.test("Machine constructor rejects bad id, die, rate range and rate", () => {
  const base = {
    peers: [],
    transport: { send() {}, peerId: () => null },
    now: () => 0,
    random: new Prng(1),
    log: () => {},
  };
  assert.throws(() => new Machine({ ...base, id: -1 }), /current id is -1/);
  assert.throws(() => new Machine({ ...base, id: 1, dieSides: 2 }), /current sides is 2/);
  assert.throws(() => new Machine({ ...base, id: 1, rateRange: [3, 2] }), /current range is 3..2/);
  assert.throws(() => new Machine({ ...base, id: 1, rate: 0 }), /current value is 0/);
});

import assert from "node:assert/strict";
import { isClockValue, LamportClock } from "../lib/core/clock.ts";
import { TickSchedule } from "../lib/core/schedule.ts";
import { deriveSeed, Prng, rollDie } from "../lib/core/prng.ts";

Deno.test("LamportClock.tick() adds 1 and receive() sets max(local, received) + 1", () => {
  const c = new LamportClock();
  assert.deepEqual(c.tick(), { old: 0, new: 1 });
  assert.deepEqual(c.receive(10), { old: 1, new: 11 });
  assert.deepEqual(c.receive(3), { old: 11, new: 12 });
  assert.equal(c.value, 12);
});

Deno.test("LamportClock.receive() rejects values outside safe non-negative integers, clock untouched", () => {
  const c = new LamportClock(5);
  for (const bad of [-1, 1.5, 1e309, 2 ** 53, Number.NaN, 100000000001.5]) {
    assert.throws(() => c.receive(bad), /Cannot receive a clock value/);
    assert.equal(c.value, 5);
  }
  assert.equal(isClockValue(2 ** 53 - 1), true);
  assert.equal(isClockValue("3"), false);
  const top = new LamportClock(2 ** 53 - 1);
  assert.throws(() => top.tick(), /past 2\^53 - 1/);
  assert.equal(top.value, 2 ** 53 - 1);
});

Deno.test("TickSchedule: tick k is due at start + k/rate whatever the work time", () => {
  const s = new TickSchedule({ start: 1000, rate: 4 });
  assert.equal(s.due(999), 0);
  assert.equal(s.due(1000), 1);
  assert.equal(s.nextAt(), 1250);
  // A slow tick (work took 600 ms) does not shift later ticks: the missed ones are due now.
  assert.equal(s.due(1600), 2);
  assert.equal(s.nextAt(), 1750);
  assert.equal(s.due(1750), 1);
  assert.equal(s.done, 4);
});

Deno.test("TickSchedule at 5000 ticks/s with 1 ms wake-ups catches up exactly", () => {
  const s = new TickSchedule({ start: 0, rate: 5000, end: 5000 });
  let ticks = 0;
  for (let t = 0; t <= 6000; t += 1 + (t % 7 === 0 ? 3 : 0)) ticks += s.due(t);
  assert.equal(ticks, 25_000); // 5 s × 5000/s, none after the end
  assert.equal(s.nextAt(), Infinity);
});

Deno.test("TickSchedule at epoch-scale times gives exactly rate × duration ticks", () => {
  for (const start of [1795835425505.5737, 1764300000000.1, 1700000000000]) {
    const s = new TickSchedule({ start, rate: 5000, end: start + 5000 });
    assert.equal(s.due(start + 60_000), 25_000);
    const t = new TickSchedule({ start, rate: 3, end: start + 1500 });
    assert.equal(t.due(start + 60_000), 5); // 0, 333, 667, 1000, 1333 ms
  }
});

Deno.test("TickSchedule.due(nextAt()) always hands out the next tick (no float stall)", () => {
  for (const rate of [3, 7, 1000, 10_000]) {
    for (const start of [0, 1795835425505.5737, 1764300000000.1]) {
      const s = new TickSchedule({ start, rate, end: start + 2000 });
      let ticks = 0;
      while (s.nextAt() !== Infinity) {
        const n = s.due(s.nextAt());
        assert.equal(n, 1, `rate ${rate} start ${start} tick ${ticks}`);
        ticks += n;
      }
      assert.equal(ticks, rate * 2);
    }
  }
});

Deno.test("TickSchedule with a fake clock over 60 s at rate 3 gives 180 ticks, no drift", () => {
  const s = new TickSchedule({ start: 0, rate: 3, end: 60_000 });
  let now = 0;
  let ticks = 0;
  while (s.nextAt() !== Infinity) {
    now = s.nextAt() + 7; // each wake-up 7 ms late, plus "work"
    ticks += s.due(now);
  }
  assert.equal(ticks, 180);
});

Deno.test("Prng is reproducible by seed and rollDie covers its range uniformly", () => {
  const a = new Prng(7), b = new Prng(7), c = new Prng(8);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.next()));
  const counts = new Array(10).fill(0);
  const r = new Prng(3);
  for (let i = 0; i < 100_000; i++) counts[rollDie(r, 10) - 1]++;
  for (const n of counts) assert.ok(Math.abs(n - 10_000) < 400, String(counts));
  assert.notEqual(deriveSeed(1, 0), deriveSeed(1, 1));
  assert.equal(deriveSeed(1, 0), deriveSeed(1, 0));
  assert.throws(
    () => new Prng(-1),
    /Cannot seed the PRNG as the seed must be an integer >= 0: current value is -1/,
  );
});

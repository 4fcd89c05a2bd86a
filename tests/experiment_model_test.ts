import assert from "node:assert/strict";
import type { LogEvent } from "../lib/core/log_schema.ts";
import { planNodes } from "../lib/cluster/plan.ts";
import { predictCluster, sendShare } from "../lib/experiment/model.ts";
import { runSimulation } from "../lib/sim/simulation.ts";

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

Deno.test("sendShare(): rolls 1 and 2 go to the first two peers, 3 to every peer", () => {
  const three = { count: 3, dieSides: 10 };
  assert.equal(sendShare(0, 1, three), 0.2);
  assert.equal(sendShare(2, 0, three), 0.2);
  assert.equal(sendShare(1, 1, three), 0);
  assert.equal(sendShare(0, 1, { count: 2, dieSides: 4 }), 0.75); // 1, 2 and 3 all to the peer
  const five = { count: 5, dieSides: 10 };
  // Machine 3 (index 2): peers 1, 2, 4, 5 in id order; the first two get 2/10, the rest 1/10.
  assert.deepEqual([0, 1, 3, 4].map((j) => sendShare(2, j, five)), [0.2, 0.2, 0.1, 0.1]);
  assert.equal(sendShare(0, 0, { count: 1, dieSides: 10 }), 0);
});

Deno.test("predictCluster(): equal rates solve u = 0.4 (1 − u) in closed form, no drift growth", () => {
  const p = predictCluster([4, 4, 4], { dieSides: 10 });
  for (const m of p.machines) {
    close(m.busy, 2 / 7);
    close(m.arrival, 8 / 7); // 2 peers × 4 ticks/s × (5/7 idle) × 0.2
    close(m.utilisation, 2 / 7);
    assert.equal(m.unbounded, false);
    assert.equal(m.queueGrowth, 0);
    close(m.sendRate, 8 / 7); // what one machine sends, the others receive
    assert.equal(m.clockGrowth, 4);
  }
  assert.equal(p.driftGrowth, 0);
});

Deno.test("predictCluster(): a slow machine that falls behind stops sending; its clock grows at v_fast / ρ", () => {
  // Rates 1, 3, 5 with die 10 (seed 1 of the baseline gives these rates).
  const p = predictCluster([1, 3, 5], { dieSides: 10 });
  const [slow, mid, fast] = p.machines;
  assert.equal(slow.unbounded, true);
  assert.equal(slow.busy, 1);
  assert.equal(slow.sendRate, 0);
  // The other two keep up: u_mid = 5 (1 − u_fast) 0.2 / 3 and u_fast = 3 (1 − u_mid) 0.2 / 5
  // = 0.12 (1 − u_mid), so 3 u_mid = 0.88 + 0.12 u_mid: u_mid = 0.88 / 2.88.
  close(mid.busy, 0.88 / 2.88, 1e-12);
  close(fast.busy, 0.12 * (1 - 0.88 / 2.88), 1e-12);
  // λ_slow = 0.2 · (3 (1 − u_mid) + 5 (1 − u_fast)) = 4/3 messages/s for 1 tick/s.
  close(slow.arrival, 4 / 3, 1e-12);
  close(slow.queueGrowth, 1 / 3, 1e-12);
  close(slow.clockGrowth, 5 / (4 / 3), 1e-12);
  assert.equal(mid.clockGrowth, 5);
  assert.equal(p.slowest, 0);
  assert.equal(p.fastest, 2);
  close(p.driftGrowth, 5 - 3.75, 1e-12);
});

Deno.test("predictCluster(): refuses an empty cluster and rates that are not > 0", () => {
  assert.throws(() => predictCluster([], { dieSides: 10 }), /current machine count is 0/);
  assert.throws(() => predictCluster([2, 0], { dieSides: 10 }), /current rate is 0 \(want > 0\)/);
});

/** Per-machine counts of a long simulated run, kept in memory (no log files). */
async function simulate(
  o: {
    count: number;
    rateRange: [number, number];
    dieSides: number;
    seconds: number;
    seed: number;
  },
) {
  const plan = planNodes("unused", {
    count: o.count,
    basePort: 5001,
    bind: "127.0.0.1",
    seed: o.seed,
  });
  const st = plan.map(() => ({ rate: 0, ticks: 0, receives: 0, sent: 0, queued: 0, clock: 0 }));
  await runSimulation(plan, {
    duration: o.seconds,
    startMs: 0,
    networkSeed: o.seed + 1,
    dieSides: o.dieSides,
    rateRange: o.rateRange,
    sink: (node) => {
      const s = st[node.id - 1];
      return {
        write(e: LogEvent) {
          if (e.event === "STARTUP") s.rate = e.clock_rate;
          else if (e.event === "RECEIVE") s.receives++, s.ticks++;
          else if (e.event === "SEND") s.sent += e.to.length, s.ticks++;
          else if (e.event === "INTERNAL") s.ticks++;
          else if (e.event === "END") s.queued = e.queued, s.clock = e.final_clock;
        },
        close() {},
      };
    },
  });
  return st;
}

// Tolerances for 3600 virtual seconds (measured errors are about a third of these): rates
// within 0.06/s + 4%, busy shares within 0.03, clock growth within 4% (a machine that keeps up
// sometimes lifts the fastest clock a little), drift growth within 0.12 units/s.
const CASES = [
  { count: 3, rateRange: [1, 6], dieSides: 10, seed: 1 }, // rates 1, 3, 5: the 1 falls behind
  { count: 3, rateRange: [1, 6], dieSides: 10, seed: 4 }, // 2, 1, 5
  { count: 3, rateRange: [1, 6], dieSides: 10, seed: 6 }, // 4, 6, 4: all keep up
  { count: 3, rateRange: [3, 4], dieSides: 10, seed: 1 }, // narrow rates
  { count: 3, rateRange: [1, 6], dieSides: 4, seed: 1 }, // fewer internal events
  { count: 3, rateRange: [1, 6], dieSides: 4, seed: 4 }, // two machines fall behind
  { count: 6, rateRange: [1, 6], dieSides: 10, seed: 2 }, // six machines, uneven peer shares
] as const;

Deno.test("model predictions match long simulated runs (3600 s) within the stated tolerances", async () => {
  const seconds = 3600;
  for (const c of CASES) {
    const st = await simulate({ ...c, rateRange: [...c.rateRange], seconds });
    const p = predictCluster(st.map((s) => s.rate), { dieSides: c.dieSides });
    const where = `count ${c.count}, rates ${st.map((s) => s.rate)}, die ${c.dieSides}`;
    st.forEach((s, j) => {
      const m = p.machines[j];
      const within = (what: string, got: number, want: number, tol: number) =>
        assert.ok(
          Math.abs(got - want) <= tol,
          `${where}, machine ${j + 1}: ${what} measured ${got.toFixed(3)}, predicted ${
            want.toFixed(3)
          } (tolerance ${tol.toFixed(3)})`,
        );
      within("arrival rate", (s.receives + s.queued) / seconds, m.arrival, 0.06 + 0.04 * m.arrival);
      within("send rate", s.sent / seconds, m.sendRate, 0.06 + 0.04 * m.sendRate);
      within("busy share", s.receives / s.ticks, m.busy, 0.03);
      within("queue growth", s.queued / seconds, m.queueGrowth, 0.06 + 0.04 * m.queueGrowth);
      within("clock growth", s.clock / seconds, m.clockGrowth, 0.04 * m.clockGrowth);
    });
    const drift = (st[p.fastest].clock - st[p.slowest].clock) / seconds;
    assert.ok(
      Math.abs(drift - p.driftGrowth) <= 0.12,
      `${where}: drift growth measured ${drift.toFixed(3)}, predicted ${p.driftGrowth.toFixed(3)}`,
    );
  }
  // The cases cover both regimes: some machine falls behind, and every machine keeps up.
  const regimes = await Promise.all(CASES.map(async (c) => {
    const st = await simulate({ ...c, rateRange: [...c.rateRange], seconds: 1 });
    return predictCluster(st.map((s) => s.rate), { dieSides: c.dieSides }).machines
      .some((m) => m.unbounded);
  }));
  assert.ok(regimes.includes(true) && regimes.includes(false), `regimes ${regimes}`);
});

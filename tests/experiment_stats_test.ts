import assert from "node:assert/strict";
import { experimentDoc, experimentJson } from "../lib/experiment/aggregate.ts";
import type { TrialFigures } from "../lib/experiment/figures.ts";
import { trialSpecs } from "../lib/experiment/plan.ts";
import { parseExperimentArgs } from "../lib/cli/experiment_args.ts";
import { sampleStats, studentTCdf, studentTQuantile } from "../lib/experiment/stats.ts";

Deno.test("studentTQuantile() matches the published t table (0.975 and 0.995)", () => {
  // Two-sided 95% and 99% critical values, e.g. NIST/SEMATECH e-Handbook table 1.3.6.7.2.
  const table: [number, number, number][] = [
    [1, 12.706, 63.657],
    [2, 4.303, 9.925],
    [4, 2.776, 4.604],
    [9, 2.262, 3.250],
    [19, 2.093, 2.861],
    [29, 2.045, 2.756],
    [100, 1.984, 2.626],
  ];
  for (const [df, t95, t99] of table) {
    assert.equal(studentTQuantile(0.975, df).toFixed(3), t95.toFixed(3), `df ${df}`);
    assert.equal(studentTQuantile(0.995, df).toFixed(3), t99.toFixed(3), `df ${df}`);
  }
  assert.equal(studentTQuantile(0.025, 4), -studentTQuantile(0.975, 4));
  assert.equal(studentTQuantile(0.5, 7), 0);
  // Large df tends to the normal quantile 1.959964.
  assert.ok(Math.abs(studentTQuantile(0.975, 1e6) - 1.959964) < 1e-5);
  assert.ok(Math.abs(studentTCdf(studentTQuantile(0.9, 3), 3) - 0.9) < 1e-10);
  assert.throws(() => studentTQuantile(1, 4), /current p is 1/);
  assert.throws(() => studentTCdf(1, 0), /current df is 0/);
});

Deno.test("sampleStats(): mean, sd and the Student-t 95% interval of known samples", () => {
  const a = sampleStats([1, 2, 3, 4, 5]);
  assert.equal(a.mean, 3);
  assert.equal(a.sd.toFixed(6), "1.581139");
  // 3 ± 2.776445 × 1.581139 / √5 = 3 ± 1.963243
  assert.equal(a.low!.toFixed(6), "1.036757");
  assert.equal(a.high!.toFixed(6), "4.963243");
  // Two values: t(0.975, 1) = 12.706205; mean 11, sd √2, half-width 12.706205 × √2 / √2.
  const b = sampleStats([10, 12]);
  assert.equal(b.low!.toFixed(4), (11 - 12.7062).toFixed(4));
  assert.equal(b.high!.toFixed(4), (11 + 12.7062).toFixed(4));
  // 90% level: t(0.95, 4) = 2.131847.
  const c = sampleStats([1, 2, 3, 4, 5], { level: 0.9 });
  assert.equal(c.high!.toFixed(4), (3 + (2.131847 * Math.sqrt(2.5)) / Math.sqrt(5)).toFixed(4));
  assert.deepEqual(sampleStats([7]), {
    n: 1,
    mean: 7,
    sd: 0,
    low: null,
    high: null,
    min: 7,
    max: 7,
  });
  const d = sampleStats([2, 2, 2]);
  assert.deepEqual([d.low, d.high], [2, 2]);
  assert.throws(() => sampleStats([]), /current size is 0/);
  assert.throws(() => sampleStats([1, NaN]), /current value is NaN/);
});

/** Figures of a synthetic trial: only the metrics matter here. */
function fake(finalDrift: number, queue: number): TrialFigures {
  const metrics = {
    final_drift: finalDrift,
    max_drift: finalDrift,
    mean_drift: finalDrift / 2,
    mean_receive_jump: 1,
    max_receive_jump: 2,
    max_queue_slowest: queue,
    max_queue_middle: 0,
    max_queue_fastest: 0,
    sent: 100,
    received: 100,
    queued_at_end: 0,
    drift_growth: finalDrift / 60,
    predicted_drift_growth: 0,
  };
  return {
    checks_ok: true,
    checks_failed: [],
    rates: [1, 2, 3],
    metrics,
    undelivered: 0,
    machines: [],
  };
}

Deno.test("experimentDoc(): per-scenario CIs and paired CIs of the change on known trial values", () => {
  const { plan } = parseExperimentArgs([
    "--seed",
    "1",
    "--scenario",
    "ref",
    "--scenario",
    "low:rate-max=2",
    "--trials",
    "5",
  ]);
  const specs = trialSpecs(plan);
  const ref = [10, 20, 30, 40, 50], low = [9, 18, 29, 37, 48]; // differences −1 −2 −1 −3 −2
  const figures = specs.map((s, i) => fake((s.scenario === 0 ? ref : low)[i % 5], s.scenario));
  const doc = experimentDoc(plan, { specs, figures });
  const st = doc.scenarios[0].stats.final_drift!;
  assert.equal(st.mean, 30);
  // sd √250 = 15.811388; half-width 2.776445 × 15.811388 / √5 = 19.632432
  assert.equal(st.low!.toFixed(4), "10.3676");
  assert.equal(st.high!.toFixed(4), "49.6324");
  const c = doc.comparisons.find((x) => x.scenario === "low" && x.metric === "final_drift")!;
  assert.equal(c.reference, "ref");
  // Paired: mean −1.8, sd √0.7 = 0.836660, half-width 2.776445 × 0.836660 / √5 = 1.038852.
  assert.equal(c.difference.mean.toFixed(4), "-1.8000");
  assert.equal(c.difference.low!.toFixed(4), "-2.8389");
  assert.equal(c.difference.high!.toFixed(4), "-0.7611");
  assert.equal(c.verdict, "fell"); // unpaired, the CIs would overlap completely
  const q = doc.comparisons.find((x) => x.scenario === "low" && x.metric === "max_queue_slowest")!;
  assert.equal(q.verdict, "rose"); // 0 → 1 in every trial: CI [1, 1]
  const same = doc.comparisons.find((x) => x.scenario === "low" && x.metric === "sent")!;
  assert.equal(same.verdict, "no clear change");
  assert.equal(doc.confidence.t!.toFixed(6), "2.776445");
  // The JSON rounds to 6 decimals and keeps integers as they are.
  const json = JSON.parse(experimentJson(doc));
  assert.equal(json.scenarios[0].stats.final_drift.low, 10.367568);
  assert.equal(json.scenarios[0].trials[0].metrics.final_drift, 10);
});

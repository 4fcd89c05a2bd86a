/**
 * The report's prose, computed from the numbers: what the reference scenario shows about
 * jumps, drift and queues (the assignment's questions), and what changed in every other
 * scenario (paired comparisons on the same seeds, with the model's account of why).
 *
 * @module
 */
import type { Comparison, ExperimentDoc, ScenarioRecord } from "./aggregate.ts";
import type { MetricId, Rank } from "./figures.ts";
import { flagsText, meanCi, num, percent, plural } from "./format.ts";
import { sweepLines } from "./sweep_text.ts";

function mean(xs: number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The machines of a rank, over a scenario's trials. */
function ranked(s: ScenarioRecord, rank: Rank) {
  return s.trials.flatMap((t) => t.machines.filter((m) => m.rank === rank));
}

/** Predicted and measured queue growth of the machines the model puts at ρ ≥ 1. */
function behind(s: ScenarioRecord) {
  const all = s.trials.flatMap((t) => t.machines);
  const unbounded = all.filter((m) => m.predicted.unbounded);
  return {
    machines: all.length,
    unbounded: unbounded.length,
    predicted: mean(unbounded.map((m) => m.predicted.queue_growth)),
    measured: mean(unbounded.map((m) => m.queue_growth)),
    maxRho: Math.max(...all.map((m) => m.predicted.utilisation)),
  };
}

/** Correlation of final drift with predicted drift growth × duration over all trials. */
function driftFit(doc: ExperimentDoc): { n: number; r: number } | null {
  const pts = doc.scenarios.flatMap((s) =>
    s.trials.flatMap((t) => {
      const y = t.metrics.final_drift, g = t.metrics.predicted_drift_growth;
      return y === null || g === null ? [] : [{ x: g * s.settings.duration, y }];
    })
  );
  if (pts.length < 3) return null;
  const mx = mean(pts.map((p) => p.x)), my = mean(pts.map((p) => p.y));
  let sxy = 0, sxx = 0, syy = 0;
  for (const p of pts) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
    syy += (p.y - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? { n: pts.length, r: sxy / Math.sqrt(sxx * syy) } : null;
}

function label(doc: ExperimentDoc, id: MetricId): string {
  return doc.metrics.find((m) => m.id === id)!.label;
}

/**
 * "## Findings": the reference scenario's jumps, drift and queues, in numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { parseExperimentArgs } from "../cli/experiment_args.ts";
 * import { experimentDoc } from "./aggregate.ts";
 * import { trialFigures } from "./figures.ts";
 * import { trialSpecs } from "./plan.ts";
 * // Two trials made of the sample run's figures (rates 3, 6, 1; final drift 122).
 * const { plan } = parseExperimentArgs(["--seed", "1", "--trials", "2", "--scenario", "a"]);
 * const summary = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]).summary;
 * const f = trialFigures(summary, { duration: 60, dieSides: 10 });
 * const doc = experimentDoc(plan, { specs: trialSpecs(plan), figures: [f, f] });
 * import { findingsMarkdown } from "./findings.ts";
 * const md = findingsMarkdown(doc);
 * assert.ok(md.startsWith("## Findings (a)\n\n- **Jumps.** A RECEIVE moved a clock by 3.39"));
 * ```
 */
export function findingsMarkdown(doc: ExperimentDoc): string {
  const r = doc.scenarios[0];
  const st = r.stats;
  const out = [`## Findings (${r.name})`, ""];
  const slow = mean(ranked(r, "slowest").flatMap((m) => m.mean_receive_jump ?? []));
  const fast = mean(ranked(r, "fastest").flatMap((m) => m.mean_receive_jump ?? []));
  const where = !(slow > 0 && fast > 0)
    ? ""
    : slow > fast * 1.2
    ? `Jumps are largest at the slowest machine (mean RECEIVE jump ${num(slow)}, against ${
      num(fast)
    } at the fastest): the clocks it receives ran ahead of its own.`
    : fast > slow * 1.2
    ? `Jumps are largest at the fastest machine (${num(fast)}, against ${
      num(slow)
    } at the slowest).`
    : `Jumps are about the same at the slowest (${num(slow)}) and fastest (${num(fast)}) machines.`;
  out.push(
    st.mean_receive_jump === null
      ? `- **Jumps.** No machine received a message in any trial (${
        plural(r.settings.count, "machine")
      } per trial), so every event moved its clock by exactly 1.`
      : `- **Jumps.** A RECEIVE moved a clock by ${meanCi(st.mean_receive_jump)} on average ` +
        `(mean [95% CI] over ${plural(r.trials.length, "trial")}); SEND and INTERNAL always ` +
        `move it by 1. The largest jump in a trial was ${meanCi(st.max_receive_jump)}, at most ${
          num(st.max_receive_jump?.max)
        }. ${where}`.trimEnd(),
  );
  const pg = st.predicted_drift_growth?.mean ?? 0;
  out.push(
    `- **Drift.** After ${r.settings.duration} s the final drift (max − min of the final ` +
      `clocks) was ${meanCi(st.final_drift)}; over the run the drift averaged ${
        meanCi(st.mean_drift)
      } (time-weighted) and peaked at ${meanCi(st.max_drift)}. The fastest machine's clock ` +
      `pulled away from the slowest's at ${meanCi(st.drift_growth)} units/s; the model ` +
      `predicts ${num(pg)} units/s for these trials' rates${
        pg > 0.05
          ? ", so the drift keeps growing with the length of the run."
          : ": no growth, the drift stays bounded."
      }`,
  );
  const r2 = driftFit(doc);
  if (r2 !== null) {
    out[out.length - 1] += ` Across all ${r2.n} trials, the final drift ${
      r2.r >= 0.8 ? "follows" : "follows only loosely"
    } the model's predicted drift growth × duration (correlation r = ${r2.r.toFixed(2)})${
      r2.r >= 0.8 ? ": the trial's clock rates, not chance, set the drift" : ""
    }.`;
  }
  const b = behind(r);
  const q = (rank: Rank) => meanCi(st[`max_queue_${rank}` as MetricId]);
  out.push(
    `- **Queues.** The largest queue was ${q("slowest")} at the slowest machine, ${
      q("middle")
    } at the middle one and ${q("fastest")} at the fastest; ${
      meanCi(st.queued_at_end)
    } messages were still queued at END. ${
      b.unbounded === 0
        ? `The model puts no machine at ρ ≥ 1 (largest ρ ${
          num(b.maxRho)
        }): every queue stays bounded.`
        : `The model puts ${b.unbounded} of ${b.machines} machines at ρ ≥ 1 (arrivals faster ` +
          `than one message per tick): their queues grow without bound, by ${
            num(b.predicted)
          } messages/s predicted and ${num(b.measured)} measured on average.`
    }`,
  );
  return out.join("\n") + "\n";
}

/**
 * "## What changed": every scenario against its reference, or the trend of a sweep.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { parseExperimentArgs } from "../cli/experiment_args.ts";
 * import { experimentDoc } from "./aggregate.ts";
 * import { trialFigures } from "./figures.ts";
 * import { trialSpecs } from "./plan.ts";
 * // Two trials made of the sample run's figures (rates 3, 6, 1; final drift 122).
 * const { plan } = parseExperimentArgs(["--seed", "1", "--trials", "2", "--scenario", "a"]);
 * const summary = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]).summary;
 * const f = trialFigures(summary, { duration: 60, dieSides: 10 });
 * const doc = experimentDoc(plan, { specs: trialSpecs(plan), figures: [f, f] });
 * import { whatChangedMarkdown } from "./findings.ts";
 * assert.equal(whatChangedMarkdown(doc), "## What changed\n\nOne scenario only: nothing to compare.\n");
 * ```
 */
export function whatChangedMarkdown(doc: ExperimentDoc): string {
  const out = ["## What changed", ""];
  if (doc.scenarios.length === 1) {
    out.push("One scenario only: nothing to compare.");
  } else if (doc.sweep) out.push(...sweepLines(doc));
  else {
    for (const s of doc.scenarios.slice(1)) out.push(scenarioText(doc, s), "");
    out.push(...largest(doc));
  }
  if (doc.trials === 1) {
    out.push(
      "",
      "With one trial per scenario there are no confidence intervals: every difference is " +
        "a single value and is reported as no clear change.",
    );
  }
  return out.join("\n").trimEnd() + "\n";
}

/** Metrics the "what changed" paragraph weighs, in order of interest. */
const PARAGRAPH: MetricId[] = [
  "final_drift",
  "mean_drift",
  "max_queue_slowest",
  "queued_at_end",
  "mean_receive_jump",
  "max_receive_jump",
  "sent",
];

/** "lower in 4 of 5 trials" for a scenario against its reference, trial by trial. */
function signs(s: ScenarioRecord, ref: ScenarioRecord, id: MetricId, up: boolean): string {
  let n = 0, k = 0;
  for (const t of s.trials) {
    const a = t.metrics[id], b = ref.trials.find((r) => r.trial === t.trial)?.metrics[id];
    if (a === null || b === null || b === undefined) continue;
    n++;
    if (up ? a > b : a < b) k++;
  }
  return `${up ? "higher" : "lower"} in ${k} of ${n} trials`;
}

function change(doc: ExperimentDoc, c: Comparison, s: ScenarioRecord, ref: ScenarioRecord) {
  const up = c.mean > c.reference_mean;
  const pct = percent(c.reference_mean, c.mean);
  return `${label(doc, c.metric)} ${num(c.reference_mean)} → ${num(c.mean)}` +
    `${pct ? ` (${pct})` : ""}, ${signs(s, ref, c.metric, up)}`;
}

function scenarioText(doc: ExperimentDoc, s: ScenarioRecord): string {
  const cs = PARAGRAPH.flatMap((id) =>
    doc.comparisons.filter((c) => c.scenario === s.name && c.metric === id)
  );
  const ref = doc.scenarios.find((x) => x.name === cs[0]?.reference) ?? doc.scenarios[0];
  const size = (c: Comparison) =>
    Math.abs(c.mean - c.reference_mean) / (Math.abs(c.reference_mean) || 1);
  const clear = cs.filter((c) => c.verdict !== "no clear change").sort((a, b) => size(b) - size(a));
  const unclear = cs.filter((c) => c.verdict === "no clear change" && size(c) >= 0.25)
    .sort((a, b) => size(b) - size(a));
  let text = `**${s.name}** (${flagsText(s.flags)}) against **${ref.name}**, trial by trial on ` +
    `the same seeds: `;
  text += clear.length === 0
    ? "no metric changed clearly at 95%."
    : `clearly (paired 95% CI of the change excludes 0): ${
      clear.slice(0, 4).map((c) => change(doc, c, s, ref)).join("; ")
    }.`;
  if (unclear.length > 0) {
    text += ` Not clear with ${doc.trials} trial${
      doc.trials === 1 ? "" : "s"
    } (the CI includes 0): ${unclear.slice(0, 3).map((c) => change(doc, c, s, ref)).join("; ")}.`;
  }
  const a = behind(ref), b = behind(s);
  const pa = ref.stats.predicted_drift_growth?.mean ?? 0;
  const pb = s.stats.predicted_drift_growth?.mean ?? 0;
  const queues = b.unbounded === 0
    ? `no machine at ρ ≥ 1 (largest ρ ${num(b.maxRho)}), so no queue grows without bound`
    : `${b.unbounded} of ${b.machines} machines at ρ ≥ 1 (largest ρ ${num(b.maxRho)}), whose ` +
      `queues grow by ${num(b.predicted)} messages/s (measured ${num(b.measured)})`;
  const drift = Math.abs(pb - pa) < 0.05
    ? `the same drift growth (${num(pb)} units/s; measured ${num(s.stats.drift_growth?.mean)})`
    : `drift growth ${pb < pa ? "down" : "up"} from ${num(pa)} to ${num(pb)} units/s ` +
      `(measured ${num(ref.stats.drift_growth?.mean)} → ${num(s.stats.drift_growth?.mean)})`;
  text += ` The model: ${queues} (${ref.name}: ${a.unbounded} of ${a.machines}, largest ρ ` +
    `${num(a.maxRho)}), and ${drift}.`;
  return text;
}

function largest(doc: ExperimentDoc): string[] {
  const lines: string[] = [];
  for (const id of ["final_drift", "max_queue_slowest", "mean_receive_jump"] as MetricId[]) {
    const lower = doc.comparisons.filter((c) => c.metric === id && c.mean < c.reference_mean)
      .sort((a, b) => a.mean - b.mean);
    if (lower.length === 0) continue;
    const best = lower[0];
    lines.push(
      `- Lowest ${label(doc, id)}: **${best.scenario}** (${num(best.reference_mean)} → ` +
        `${num(best.mean)}, ${percent(best.reference_mean, best.mean)}; ${
          best.verdict === "fell" ? "clear at 95%" : "not clear at 95%"
        }).`,
    );
  }
  return lines.length === 0 ? ["No scenario lowered the drift, the queues or the jumps."] : lines;
}

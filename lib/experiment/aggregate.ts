/**
 * The experiment's results as one document — what `experiment.json` holds (schema in
 * docs/experiment.md): every trial's figures and seed, each scenario's statistics over its
 * trials, and paired comparisons of each scenario with its reference.
 *
 * @module
 */
import { type MetricId, METRICS, type TrialFigures } from "./figures.ts";
import type { ExperimentPlan, Scenario, TrialSpec } from "./plan.ts";
import { VIRTUAL_START_MS } from "./plan.ts";
import { type SampleStats, sampleStats, studentTQuantile } from "./stats.ts";

/** One trial as recorded. */
export interface TrialRecord extends TrialFigures {
  /** Trial number, 1-based. */
  trial: number;
  /** Seed the trial ran with. */
  seed: number;
  /** Its logs and analysis, relative to the experiment's directory. */
  dir: string;
}

/** One scenario as recorded. */
export interface ScenarioRecord {
  /** Name. */
  name: string;
  /** Directory of its trials (relative). */
  dir: string;
  /** The run flags it sets, as given. */
  flags: Record<string, string>;
  /** The settings its trials ran with. */
  settings: {
    count: number;
    duration: number;
    rate: number | null;
    rate_range: [number, number];
    die_sides: number;
    delay_ms: [number, number] | null;
  };
  /** Value of the swept flag (sweeps only). */
  sweep_value: number | null;
  /** Scenario the sweep point was made from (sweeps only). */
  sweep_base: string | null;
  /** Statistics per metric over the trials; null when no trial defines the metric. */
  stats: Record<MetricId, SampleStats | null>;
  /** Its trials, in order. */
  trials: TrialRecord[];
}

/** A scenario against its reference, trial by trial (same seeds), for one metric. */
export interface Comparison {
  /** Scenario compared. */
  scenario: string;
  /** Reference scenario (the first one; in a sweep, the first point of the same base). */
  reference: string;
  /** Metric. */
  metric: MetricId;
  /** Mean of the reference. */
  reference_mean: number;
  /** Mean of the scenario. */
  mean: number;
  /** Statistics of the per-trial differences scenario − reference. */
  difference: SampleStats;
  /** "rose" / "fell" when the difference's CI excludes 0, else "no clear change". */
  verdict: "rose" | "fell" | "no clear change";
}

/** The whole experiment (`experiment.json`, `schema_version` 1). */
export interface ExperimentDoc {
  /** Version of this schema. */
  schema_version: 1;
  /** Experiment seed. */
  seed: number;
  /** "simulated" (virtual time) or "real" (TCP clusters). */
  mode: "simulated" | "real";
  /** Trials per scenario. */
  trials: number;
  /** Virtual start of every simulated trial (ISO 8601); null for real runs. */
  virtual_start: string | null;
  /** How the confidence intervals are computed. */
  confidence: { level: number; method: string; t: number | null };
  /** The sweep, if any. */
  sweep: { flag: string; values: number[] } | null;
  /** The metrics' ids, labels and units, in report order. */
  metrics: { id: MetricId; label: string; unit: string }[];
  /** Scenarios, in order. */
  scenarios: ScenarioRecord[];
  /** Paired comparisons with the reference, per scenario and metric. */
  comparisons: Comparison[];
}

/**
 * Assembles the document from the plan, the trial specs and their figures (same order).
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
 * assert.equal(doc.scenarios[0].stats.final_drift?.mean, 122);
 * ```
 */
export function experimentDoc(
  plan: ExperimentPlan,
  results: { specs: TrialSpec[]; figures: TrialFigures[] },
): ExperimentDoc {
  const scenarios = plan.scenarios.map((s, i) => {
    const trials = results.specs.flatMap((spec, k) =>
      spec.scenario === i
        ? [{ trial: spec.trial, seed: spec.seed, dir: spec.dir, ...results.figures[k] }]
        : []
    );
    return scenarioRecord(s, trials, plan.real);
  });
  const comparisons: Comparison[] = [];
  scenarios.forEach((s, i) => {
    const ref = referenceOf(scenarios, i);
    if (ref === null) return;
    for (const m of METRICS) {
      const c = compare(s, ref, m.id);
      if (c !== null) comparisons.push(c);
    }
  });
  return {
    schema_version: 1,
    seed: plan.seed,
    mode: plan.real ? "real" : "simulated",
    trials: plan.trials,
    virtual_start: plan.real ? null : new Date(VIRTUAL_START_MS).toISOString(),
    confidence: {
      level: 0.95,
      method: "Student t: mean ± t(0.975, n − 1) · s / √n over the n trials",
      t: plan.trials > 1 ? studentTQuantile(0.975, plan.trials - 1) : null,
    },
    sweep: plan.sweep,
    metrics: METRICS.map((m) => ({ id: m.id, label: m.label, unit: m.unit })),
    scenarios,
    comparisons,
  };
}

/**
 * Index of the scenario `i` is compared with: the first point of its sweep base, else the
 * first scenario; null for the reference itself.
 */
function referenceOf(scenarios: ScenarioRecord[], i: number): ScenarioRecord | null {
  const s = scenarios[i];
  const ref = s.sweep_base === null
    ? scenarios[0]
    : scenarios.find((x) => x.sweep_base === s.sweep_base)!;
  return ref === s ? null : ref;
}

function scenarioRecord(s: Scenario, trials: TrialRecord[], real: boolean): ScenarioRecord {
  const stats = {} as Record<MetricId, SampleStats | null>;
  for (const m of METRICS) {
    const values = trials.map((t) => t.metrics[m.id]).filter((v): v is number => v !== null);
    stats[m.id] = values.length > 0 ? sampleStats(values) : null;
  }
  const o = s.options;
  return {
    name: s.name,
    dir: s.dir,
    flags: s.flags,
    settings: {
      count: o.count,
      duration: o.duration,
      rate: o.rate ?? null,
      rate_range: o.rateRange,
      die_sides: o.dieSides,
      delay_ms: real ? null : o.delayMs,
    },
    sweep_value: s.sweepValue,
    sweep_base: s.sweepBase,
    stats,
    trials,
  };
}

function compare(s: ScenarioRecord, ref: ScenarioRecord, metric: MetricId): Comparison | null {
  const diffs: number[] = [];
  for (const t of s.trials) {
    const r = ref.trials.find((x) => x.trial === t.trial);
    const a = t.metrics[metric], b = r?.metrics[metric] ?? null;
    if (a !== null && b !== null) diffs.push(a - b);
  }
  const mine = s.stats[metric], theirs = ref.stats[metric];
  if (diffs.length === 0 || mine === null || theirs === null) return null;
  const difference = sampleStats(diffs);
  const verdict = difference.low !== null && difference.low > 0
    ? "rose"
    : difference.high !== null && difference.high < 0
    ? "fell"
    : "no clear change";
  return {
    scenario: s.name,
    reference: ref.name,
    metric,
    reference_mean: theirs.mean,
    mean: mine.mean,
    difference,
    verdict,
  };
}

/**
 * `experiment.json` text: the document with non-integers rounded to 6 decimals (so the
 * file reads well and is the same bytes for the same seed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentJson } from "./aggregate.ts";
 * assert.equal(experimentJson({ x: 1 / 3 } as never), '{\n  "x": 0.333333\n}\n');
 * ```
 */
export function experimentJson(doc: ExperimentDoc): string {
  const round = (_: string, v: unknown) =>
    typeof v === "number" && !Number.isInteger(v) && Number.isFinite(v)
      ? Math.round(v * 1e6) / 1e6
      : v;
  return JSON.stringify(doc, round, 2) + "\n";
}

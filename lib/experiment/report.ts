/**
 * `experiment.md`: how to repeat the experiment, the findings and what changed (computed
 * prose), a comparison table across scenarios, the model's formulas and predictions next to
 * the measurements, and one section per scenario with its statistics and trials.
 *
 * @module
 */
import type { ExperimentDoc, ScenarioRecord } from "./aggregate.ts";
import { METRICS } from "./figures.ts";
import { findingsMarkdown, whatChangedMarkdown } from "./findings.ts";
import { experimentShape, flagsText, meanCi, num, plural, table } from "./format.ts";

/** The model's formulas, one sentence each (also in docs/experiment.md). */
export const FORMULAS = [
  "A machine ticks r times a second (its service rate: one message per tick); a tick with " +
  "an empty queue rolls a D-sided die: 1 sends to its first peer, 2 to its second, 3 to all " +
  "peers, 4..D is INTERNAL.",
  "Share of an idle tick of i that sends to j: p(i→j) = 2/D for each of i's first two peers " +
  "(3/D with a single peer) and 1/D for any further peer.",
  "Arrival rate λ_j = Σ_i r_i · (1 − u_i) · p(i→j), where u_i = min(1, λ_i / r_i) is the " +
  "share of i's ticks that process a message instead of rolling (a busy machine sends less); " +
  "the u are the solution of this fixed point.",
  "Utilisation ρ_j = λ_j / r_j; with ρ_j ≥ 1 the queue grows without bound at λ_j − r_j " +
  "messages/s (measured: messages queued at END / duration) and the machine no longer sends.",
  "Clock growth v_j: a machine that keeps up (ρ < 1) follows the fastest-growing clock among " +
  "its senders, v_j = max(r_j, max_i v_i); one that falls behind processes at time t what " +
  "arrived at t / ρ_j, so v_j = max(r_j, max_i v_i / ρ_j) (measured: final clock / duration).",
  "Drift growth between the fastest and the slowest machine = v_fastest − v_slowest " +
  "(measured: their final clocks' difference / duration).",
];

/**
 * Writes the report.
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
 * import { experimentMarkdown } from "./report.ts";
 * const md = experimentMarkdown(doc, { command: "deno task experiment --seed 1 --scenario a" });
 * assert.ok(md.startsWith("# Lamport clock experiment\n"));
 * assert.ok(md.includes("## Scenario: a"));
 * ```
 */
export function experimentMarkdown(doc: ExperimentDoc, options: { command?: string } = {}): string {
  const s0 = doc.scenarios[0];
  const trials = doc.scenarios.flatMap((s) => s.trials);
  const failed = trials.filter((t) => !t.checks_ok);
  const command = options.command ?? `deno task experiment --seed ${doc.seed}`;
  const t = doc.confidence.t;
  const parts: string[] = [
    `# Lamport clock experiment`,
    "",
    `${
      experimentShape({
        scenarios: doc.scenarios.length,
        trials: doc.trials,
        duration: s0.settings.duration,
        count: s0.settings.count,
        sweep: doc.sweep,
      })
    } per trial, ${doc.mode === "simulated" ? "simulated in virtual time" : "real TCP clusters"}.`,
    "",
    `- Repeat: \`${command}\`${
      doc.mode === "simulated"
        ? ` gives the same bytes (simulated trials start at virtual time ${doc.virtual_start})`
        : " (real runs repeat the same random choices, not the network's timing)"
    }. Trial k of every scenario runs with the same seed, derived from the experiment seed ` +
    `${doc.seed}, so scenarios are compared on the same random draws.`,
    `- Confidence intervals: 95%, Student t with n − 1 degrees of freedom over the n trials: ` +
    (t === null
      ? "none with a single trial."
      : `mean ± ${num(t)} · s / √${doc.trials} (t(0.975, ${doc.trials - 1}) = ${
        t.toFixed(3)
      }; s is the sample standard deviation). Shown as mean [low, high].`),
    `- Analyzer checks (Lamport's clock conditions, message conservation): ${
      failed.length === 0
        ? `every available check held in all ${trials.length} trials.`
        : `FAILED in ${failed.length} of ${trials.length} trials: ${
          failed.map((f) => `${f.dir} (${f.checks_failed.join(", ") || "not checked"})`).join(", ")
        }.`
    }`,
    `- Every trial's logs and the analyzer's own outputs are in \`<scenario>/trial_<k>/\` ` +
    `next to this file; inspect one with \`deno task analyze <this directory>/${trials[0].dir}\`.`,
    "",
    findingsMarkdown(doc),
    whatChangedMarkdown(doc),
    "## Comparison across scenarios",
    "",
    `Mean [95% CI] over ${plural(doc.trials, "trial")}.`,
    "",
    comparisonTable(doc),
    "![metrics by scenario](experiment.png)",
    "",
    "## Predictions",
    "",
    ...FORMULAS.map((f) => `- ${f}`),
    "",
    predictionTable(doc),
  ];
  for (const s of doc.scenarios) parts.push(scenarioSection(s));
  return parts.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

function comparisonTable(doc: ExperimentDoc): string {
  if (doc.scenarios.length > 8) {
    return table(
      [
        "scenario",
        ...["final_drift", "mean_drift", "max_queue_slowest", "drift_growth"]
          .map((id) => METRICS.find((m) => m.id === id)!.label),
      ],
      doc.scenarios.map((s) => [
        s.name,
        meanCi(s.stats.final_drift),
        meanCi(s.stats.mean_drift),
        meanCi(s.stats.max_queue_slowest),
        meanCi(s.stats.drift_growth),
      ]),
    );
  }
  return table(
    ["metric", ...doc.scenarios.map((s) => s.name)],
    METRICS.map((
      m,
    ) => [`${m.label} (${m.unit})`, ...doc.scenarios.map((s) => meanCi(s.stats[m.id]))]),
  );
}

function predictionTable(doc: ExperimentDoc): string {
  return table(
    [
      "scenario",
      "machines at ρ ≥ 1",
      "their queue growth, predicted / measured (msg/s)",
      "largest ρ",
      "drift growth predicted (units/s)",
      "drift growth measured",
    ],
    doc.scenarios.map((s) => {
      const all = s.trials.flatMap((t) => t.machines);
      const un = all.filter((m) => m.predicted.unbounded);
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      return [
        s.name,
        `${un.length} of ${all.length}`,
        un.length === 0
          ? "-"
          : `${num(avg(un.map((m) => m.predicted.queue_growth)))} / ${
            num(avg(un.map((m) => m.queue_growth)))
          }`,
        num(Math.max(...all.map((m) => m.predicted.utilisation))),
        num(s.stats.predicted_drift_growth?.mean),
        meanCi(s.stats.drift_growth),
      ];
    }),
  );
}

function scenarioSection(s: ScenarioRecord): string {
  const g = s.settings;
  const rates = g.rate !== null
    ? `fixed rate ${g.rate}/s`
    : `rates ${g.rate_range[0]}–${g.rate_range[1]}/s`;
  const delay = g.delay_ms === null ? "real network" : `delay ${g.delay_ms[0]}–${g.delay_ms[1]} ms`;
  const stats = table(
    ["metric", "mean", "95% CI", "sd", "min", "max"],
    METRICS.flatMap((m) => {
      const st = s.stats[m.id];
      if (st === null) return [];
      const ci = st.low === null ? "-" : `${num(st.low)} to ${num(st.high)}`;
      return [[`${m.label} (${m.unit})`, num(st.mean), ci, num(st.sd), num(st.min), num(st.max)]];
    }),
  );
  const trials = table(
    [
      "trial",
      "seed",
      "rates",
      "final drift",
      "mean drift",
      "mean / max RECEIVE jump",
      "max queue slowest / middle / fastest",
      "queued at END",
      "drift growth measured / predicted",
      "checks",
    ],
    s.trials.map((t) => {
      const m = t.metrics;
      return [
        `[${t.trial}](${t.dir}/analysis_summary.md)`,
        String(t.seed),
        t.rates.join(", "),
        num(m.final_drift),
        num(m.mean_drift),
        `${num(m.mean_receive_jump)} / ${num(m.max_receive_jump)}`,
        `${num(m.max_queue_slowest)} / ${num(m.max_queue_middle)} / ${num(m.max_queue_fastest)}`,
        num(m.queued_at_end),
        `${num(m.drift_growth)} / ${num(m.predicted_drift_growth)}`,
        t.checks_ok ? "held" : `FAILED: ${t.checks_failed.join(", ") || "not checked"}`,
      ];
    }),
  );
  const machines = table(
    [
      "trial",
      "machine",
      "rate",
      "λ predicted / measured (msg/s)",
      "ρ predicted",
      "busy share predicted / measured",
      "queue growth predicted / measured (msg/s)",
      "clock growth predicted / measured (units/s)",
    ],
    s.trials.flatMap((t) =>
      t.machines.filter((m) => m.rank !== null).map((m) => [
        String(t.trial),
        `${m.id} (${m.rank})`,
        num(m.rate),
        `${num(m.predicted.arrival_rate)} / ${num(m.arrival_rate)}`,
        `${num(m.predicted.utilisation)}${m.predicted.unbounded ? " (unbounded)" : ""}`,
        `${num(m.predicted.busy)} / ${num(m.busy)}`,
        `${num(m.predicted.queue_growth)} / ${num(m.queue_growth)}`,
        `${num(m.predicted.clock_growth)} / ${num(m.clock_growth)}`,
      ])
    ),
  );
  return [
    `## Scenario: ${s.name}`,
    "",
    `Flags: ${flagsText(s.flags)}. Settings: ${g.count} machines, ${g.duration} s, ${rates}, ` +
    `die ${g.die_sides} (INTERNAL on ${g.die_sides - 3} of ${g.die_sides} idle ticks), ${delay}. ` +
    `Trials in \`${s.dir}/\`.`,
    "",
    stats,
    trials,
    `Predicted against measured, by machine (slowest, middle and fastest of each trial):`,
    "",
    machines,
  ].join("\n");
}

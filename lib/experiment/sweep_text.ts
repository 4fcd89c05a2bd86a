/**
 * The "what changed" text of a `--sweep` experiment: for each base scenario, how each key
 * metric moves from the first to the last swept value (and in how many steps its mean rose or
 * fell), and at which points the model puts a machine at ρ ≥ 1.
 *
 * @module
 */
import type { ExperimentDoc } from "./aggregate.ts";
import type { MetricId } from "./figures.ts";
import { num, percent, plural } from "./format.ts";

/** Metrics followed along the sweep, in order. */
const KEY: MetricId[] = [
  "final_drift",
  "mean_drift",
  "max_drift",
  "mean_receive_jump",
  "max_receive_jump",
  "max_queue_slowest",
  "max_queue_fastest",
  "queued_at_end",
  "sent",
  "drift_growth",
];

/**
 * Markdown lines describing the sweep's trends, computed from the means.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { parseExperimentArgs } from "../cli/experiment_args.ts";
 * import { experimentDoc } from "./aggregate.ts";
 * import { trialFigures } from "./figures.ts";
 * import { trialSpecs } from "./plan.ts";
 * // Two sweep points made of the sample run's figures (rates 3, 6, 1; final drift 122).
 * const { plan } = parseExperimentArgs(["--seed", "1", "--trials", "1", "--sweep", "count=3..4"]);
 * const summary = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]).summary;
 * const f = trialFigures(summary, { duration: 60, dieSides: 10 });
 * const doc = experimentDoc(plan, { specs: trialSpecs(plan), figures: [f, f] });
 * import { sweepLines } from "./sweep_text.ts";
 * assert.equal(sweepLines(doc)[0], "**baseline**, count from 3 to 4 (2 points × 1 trial):");
 * ```
 */
export function sweepLines(doc: ExperimentDoc): string[] {
  const label = (id: MetricId) => doc.metrics.find((m) => m.id === id)!.label;

  const flag = doc.sweep!.flag;
  const bases = [...new Set(doc.scenarios.map((s) => s.sweep_base!))];
  const out: string[] = [];
  for (const base of bases) {
    const pts = doc.scenarios.filter((s) => s.sweep_base === base);
    const lines = KEY.flatMap((id) => {
      const series = pts.flatMap((p) => {
        const m = p.stats[id]?.mean;
        return m === undefined ? [] : [{ x: p.sweep_value!, m }];
      });
      if (series.length < 2) return [];
      let up = 0, down = 0;
      for (let i = 1; i < series.length; i++) {
        if (series[i].m > series[i - 1].m) up++;
        else if (series[i].m < series[i - 1].m) down++;
      }
      const first = series[0], last = series.at(-1)!;
      return [
        `- ${label(id)}: ${num(first.m)} at ${flag}=${first.x} → ${num(last.m)} at ` +
        `${flag}=${last.x} (${
          percent(first.m, last.m) || "from 0"
        }; the mean rose in ${up} and fell ` +
        `in ${down} of ${series.length - 1} steps)`,
      ];
    });
    const behind = pts.map((p) =>
      p.trials.filter((t) => t.machines.some((m) => m.predicted.unbounded)).length * 2 >
        p.trials.length
    );
    // Runs of consecutive points, e.g. "count=9..32" or "count=4, count=6".
    const runs: string[] = [];
    for (let i = 0; i < pts.length; i++) {
      if (!behind[i]) continue;
      let j = i;
      while (j + 1 < pts.length && behind[j + 1]) j++;
      runs.push(
        j === i
          ? `${flag}=${pts[i].sweep_value}`
          : `${flag}=${pts[i].sweep_value}..${pts[j].sweep_value}`,
      );
      i = j;
    }
    const behindAt = runs;
    out.push(
      `**${base}**, ${flag} from ${pts[0].sweep_value} to ${pts.at(-1)!.sweep_value} ` +
        `(${plural(pts.length, "point")} × ${plural(doc.trials, "trial")}):`,
      "",
      ...lines,
      "",
      behindAt.length === 0
        ? `The model puts no machine at ρ ≥ 1 in most trials of any point: queues stay bounded.`
        : `The model puts a machine at ρ ≥ 1 (a queue that grows without bound) in most trials ` +
          `at ${behind.every((b) => b) ? "every point" : behindAt.join(", ")}.`,
      "",
    );
  }
  return out;
}

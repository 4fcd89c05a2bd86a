/**
 * One trial, end to end: simulate the cluster (unless it ran for real already), analyze its
 * logs with the analyzer, write the analyzer's own summary (`analysis_summary.md`,
 * `analysis_summary.json`) and chart (`analysis_subplots.svg`) next to them, and read the
 * trial's figures from that summary. The per-trial PNG is left out (rasterising is three
 * quarters of a trial's time): `deno task analyze <trial dir>` writes it, re-checking the
 * logs. Runs in a trial worker.
 *
 * @module
 */
import { osReason } from "../io/os_error.ts";
import { analyzeLogs } from "../analysis/analyze.ts";
import { plotWidth, renderSvg } from "../analysis/chart.ts";
import { summaryMarkdown } from "../analysis/summary_markdown.ts";
import { runSimulationCluster } from "../cluster/simulate.ts";
import { type TrialFigures, trialFigures } from "./figures.ts";
import { type TrialSpec, VIRTUAL_START_MS } from "./plan.ts";

/**
 * Runs trial `spec` in `<out>/<spec.dir>` and returns its figures. With `simulate: false`
 * the logs must be there already (a real run).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseExperimentArgs } from "../cli/experiment_args.ts";
 * import { trialSpecs } from "./plan.ts";
 * import { runTrial } from "./trial.ts";
 * const out = Deno.makeTempDirSync();
 * const spec = trialSpecs(parseExperimentArgs(["--seed", "7", "--trials", "1"]).plan)[0];
 * const figures = await runTrial(spec, { out, simulate: true });
 * assert.equal(figures.checks_ok, true);
 * assert.equal(figures.machines.length, 3);
 * assert.ok(Deno.statSync(`${out}/${spec.dir}/analysis_summary.json`).isFile);
 * Deno.removeSync(out, { recursive: true });
 * ```
 */
export async function runTrial(
  spec: TrialSpec,
  options: { out: string; simulate: boolean },
): Promise<TrialFigures> {
  const dir = `${options.out}/${spec.dir}`;
  if (options.simulate) {
    Deno.mkdirSync(dir, { recursive: true });
    const result = await runSimulationCluster(spec.options, {
      dir,
      startMs: VIRTUAL_START_MS,
      handleSignals: false,
    });
    if (!result.ok) throw new Error(`Cannot simulate trial "${spec.dir}": ${result.error}`);
  }
  const analysis = analyzeLogs([dir], { columns: plotWidth(1000) });
  const s = analysis.summary;
  const title = `Lamport clocks: ${s.machines.length} machines, ${
    Math.round(s.run.duration * 10) / 10
  } s`;
  const files: [string, string][] = [
    ["analysis_summary.md", summaryMarkdown(s)],
    ["analysis_summary.json", JSON.stringify(s, null, 2) + "\n"],
    ["analysis_subplots.svg", renderSvg(analysis.panels, { title, width: 1000 })],
  ];
  for (const [name, text] of files) {
    try {
      Deno.writeTextFileSync(`${dir}/${name}`, text);
    } catch (err) {
      throw new Error(`Cannot write "${dir}/${name}": ${osReason(err)}`, { cause: err });
    }
  }
  return trialFigures(s, { duration: spec.options.duration, dieSides: spec.options.dieSides });
}

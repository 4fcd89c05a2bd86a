/**
 * Writes the causality outputs next to the analyzer's: `analysis_spacetime.svg` and `.png`
 * (the static space-time diagram of a window) and `analysis_report.html` (the interactive
 * report), after `writeOutputs` (whose chart SVG the report inlines).
 *
 * @module
 */
import type { Analysis } from "../analysis/analyze.ts";
import { processRows } from "./process_rows.ts";
import { AnalysisError } from "../analysis/errors.ts";
import { pngOf, writeOutputFile } from "../analysis/write_outputs.ts";
import { renderSpacetimeSvg } from "./spacetime_svg.ts";
import { reportHtml } from "./report_html.ts";

/** Options of {@link writeCausalityOutputs}. */
export interface CausalityOutputOptions {
  /** x axis of the static diagram (default "time"). */
  axis?: "time" | "lamport";
  /** Skip `analysis_spacetime.png` (no PNG renderer needed). */
  noPng?: boolean;
}

/**
 * Writes the files into `outDir` (which must hold `analysis_subplots.svg` already); returns
 * the paths written. Without happened-before (original-schema logs) only the report is
 * written, saying why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { writeOutputs } from "../analysis/write_outputs.ts";
 * import { writeCausalityOutputs } from "./write_causality.ts";
 * const out = Deno.makeTempDirSync();
 * const a = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]);
 * await writeOutputs(a, out, { noPng: true });
 * const written = await writeCausalityOutputs(a, out, { noPng: true });
 * assert.deepEqual(written.map((p) => p.slice(out.length + 1)), [
 *   "analysis_spacetime.svg",
 *   "analysis_report.html",
 * ]);
 * Deno.removeSync(out, { recursive: true });
 * ```
 */
export async function writeCausalityOutputs(
  a: Analysis,
  outDir: string,
  options: CausalityOutputOptions = {},
): Promise<string[]> {
  const dir = outDir.replace(/\/+$/, "") || "/";
  const written: string[] = [];
  const store = a.causality.windowStore;
  if (store !== null) {
    const svg = renderSpacetimeSvg({
      machines: processRows(a.summary),
      store,
      window: a.causality.window,
      duration: a.summary.run.duration,
      axis: options.axis ?? "time",
    });
    written.push(writeOutputFile(dir, { name: "analysis_spacetime.svg", data: svg }));
    if (!options.noPng) {
      const png = await pngOf(svg, `${dir}/analysis_spacetime.png`);
      written.push(writeOutputFile(dir, { name: "analysis_spacetime.png", data: png }));
    }
  }
  let charts = "";
  try {
    charts = Deno.readTextFileSync(`${dir}/analysis_subplots.svg`);
  } catch (e) {
    throw new AnalysisError(
      `Cannot read the charts for the report "${dir}/analysis_subplots.svg": write the analysis outputs first`,
      { cause: e },
    );
  }
  const html = reportHtml(a, { chartsSvg: charts });
  written.push(writeOutputFile(dir, { name: "analysis_report.html", data: html }));
  return written;
}

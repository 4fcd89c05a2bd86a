/**
 * Writes the causality outputs next to the analyzer's: `analysis_spacetime.svg` and `.png`
 * (the static space-time diagram of a window) and `analysis_report.html` (the interactive
 * report), after `writeOutputs` (whose chart SVG the report inlines).
 *
 * @module
 */
import type { Analysis } from "../analysis/analyze.ts";
import { svgToPng } from "../analysis/chart.ts";
import { processRows } from "./process_rows.ts";
import { AnalysisError } from "../analysis/errors.ts";
import { renderSpacetimeSvg } from "./spacetime_svg.ts";
import { reportHtml } from "./report_html.ts";
import { why } from "./shiviz_file.ts";

/** Options of {@link writeCausalityOutputs}. */
export interface CausalityOutputOptions {
  /** x axis of the static diagram (default "time"). */
  axis?: "time" | "lamport";
}

/**
 * Writes the files into `outDir` (which must hold `analysis_subplots.svg` already); returns
 * the paths written. Without happened-before (original-schema logs) only the report is
 * written, saying why.
 *
 * @example
 * ```ts ignore
 * import { analyzeLogs } from "../analysis/analyze.ts";
 * import { writeOutputs } from "../analysis/write_outputs.ts";
 * import { writeCausalityOutputs } from "./write_causality.ts";
 * const a = analyzeLogs(["sample_logs/run_2026-11-28_04-06-20"]);
 * writeOutputs(a, "/tmp/out");
 * writeCausalityOutputs(a, "/tmp/out"); // [".../analysis_spacetime.svg", ...]
 * ```
 */
export function writeCausalityOutputs(
  a: Analysis,
  outDir: string,
  options: CausalityOutputOptions = {},
): string[] {
  const dir = outDir.replace(/\/+$/, "") || "/";
  const files: [string, () => string | Uint8Array][] = [];
  const store = a.causality.windowStore;
  if (store !== null) {
    let svg = "";
    files.push(["analysis_spacetime.svg", () =>
      svg = renderSpacetimeSvg({
        machines: processRows(a.summary),
        store,
        window: a.causality.window,
        duration: a.summary.run.duration,
        axis: options.axis ?? "time",
      })]);
    files.push(["analysis_spacetime.png", () => svgToPng(svg)]);
  }
  files.push(["analysis_report.html", () => {
    let charts = "";
    try {
      charts = Deno.readTextFileSync(`${dir}/analysis_subplots.svg`);
    } catch (e) {
      throw new AnalysisError(
        `Cannot read the charts for the report "${dir}/analysis_subplots.svg": write the analysis outputs first`,
        { cause: e },
      );
    }
    return reportHtml(a, { chartsSvg: charts });
  }]);
  const written: string[] = [];
  for (const [name, make] of files) {
    const path = `${dir}/${name}`, data = make();
    try {
      if (typeof data === "string") Deno.writeTextFileSync(path, data);
      else Deno.writeFileSync(path, data);
    } catch (e) {
      throw new AnalysisError(`Cannot write "${path}": ${why(e)}`, { cause: e });
    }
    written.push(path);
  }
  return written;
}

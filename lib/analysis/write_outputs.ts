/**
 * Writes the analysis files: `analysis_summary.md`, `analysis_subplots.svg`,
 * `analysis_subplots.png` and, on request, `analysis_summary.json`.
 *
 * @module
 */
import { renderSvg, svgToPng } from "./chart.ts";
import type { Analysis } from "./analyze.ts";
import { AnalysisError } from "./errors.ts";
import { errText } from "./log_files.ts";
import { summaryMarkdown } from "./summary_markdown.ts";

/** Options of {@link writeOutputs}. */
export interface WriteOptions {
  /** Also write `analysis_summary.json`. */
  json?: boolean;
  /** Chart width in pixels (default 1000; the series must have been built for it). */
  width?: number;
}

/**
 * Directory of a path ("." when it has none).
 *
 * @example
 * ```ts
 * import { dirOf } from "./write_outputs.ts";
 * dirOf("logs/run_1/machine_1.log"); // "logs/run_1"
 * ```
 */
export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/**
 * Writes the outputs into `outDir`; returns the paths written.
 *
 * @example
 * ```ts
 * import { analyzeLogs } from "./analyze.ts";
 * import { writeOutputs } from "./write_outputs.ts";
 * import assert from "node:assert/strict";
 * const out = Deno.makeTempDirSync();
 * const written = writeOutputs(analyzeLogs(["sample_logs/original_schema"]), out, { json: true });
 * assert.equal(written.length, 4); // md, svg, png, json
 * Deno.removeSync(out, { recursive: true });
 * ```
 */
export function writeOutputs(a: Analysis, outDir: string, options: WriteOptions = {}): string[] {
  const title = `Lamport clocks: ${a.summary.machines.length} machines, ${
    Math.round(a.summary.run.duration * 10) / 10
  } s`;
  const svg = renderSvg(a.panels, { title, width: options.width ?? 1000 });
  const files: [string, string | Uint8Array][] = [
    ["analysis_summary.md", summaryMarkdown(a.summary)],
    ["analysis_subplots.svg", svg],
    ["analysis_subplots.png", svgToPng(svg)],
  ];
  if (options.json) {
    files.push(["analysis_summary.json", JSON.stringify(a.summary, null, 2) + "\n"]);
  }
  const written: string[] = [];
  for (const [name, data] of files) {
    const path = `${outDir.replace(/\/+$/, "") || "/"}/${name}`;
    try {
      if (typeof data === "string") Deno.writeTextFileSync(path, data);
      else Deno.writeFileSync(path, data);
    } catch (e) {
      const hint = e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable
        ? ` (run with --allow-write=${outDir} or pass --out DIR)`
        : "";
      throw new AnalysisError(`Cannot write ${path}: current value is ${errText(e)}${hint}`);
    }
    written.push(path);
  }
  return written;
}

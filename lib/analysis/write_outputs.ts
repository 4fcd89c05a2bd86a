/**
 * Writes the analysis files: `analysis_summary.md`, `analysis_subplots.svg`,
 * `analysis_subplots.png` and, on request, `analysis_summary.json`.
 *
 * @module
 */
import { renderSvg } from "./chart.ts";
import type { Analysis } from "./analyze.ts";
import { AnalysisError, writeProblem } from "./errors.ts";
import { svgToPng } from "./png.ts";
import { summaryMarkdown } from "./summary_markdown.ts";

/** Options of {@link writeOutputs}. */
export interface WriteOptions {
  /** Also write `analysis_summary.json`. */
  json?: boolean;
  /** Chart width in pixels (default 1000; the series must have been built for it). */
  width?: number;
  /** Skip `analysis_subplots.png` (no PNG renderer needed). */
  noPng?: boolean;
}

/**
 * Directory of a path ("." when it has none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dirOf } from "./write_outputs.ts";
 * assert.equal(dirOf("logs/run_1/machine_1.log"), "logs/run_1");
 * assert.equal(dirOf("machine_1.log"), ".");
 * ```
 */
export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/**
 * Writes one output file `name` into `outDir`; returns its path. A failure is an
 * {@link AnalysisError} saying what to do (the flag to add, the folder to create).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeOutputFile } from "./write_outputs.ts";
 * const dir = Deno.makeTempDirSync();
 * assert.equal(writeOutputFile(dir, { name: "a.txt", data: "hi" }), `${dir}/a.txt`);
 * assert.throws(
 *   () => writeOutputFile(`${dir}/missing`, { name: "b.txt", data: "x" }),
 *   /^AnalysisError: Cannot write ".*\/missing\/b.txt": its folder does not exist/,
 * );
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function writeOutputFile(
  outDir: string,
  file: { name: string; data: string | Uint8Array },
): string {
  const path = `${outDir.replace(/\/+$/, "") || "/"}/${file.name}`;
  try {
    if (typeof file.data === "string") Deno.writeTextFileSync(path, file.data);
    else Deno.writeFileSync(path, file.data);
  } catch (e) {
    throw new AnalysisError(`Cannot write "${path}": ${writeProblem(e, outDir)}`, { cause: e });
  }
  return path;
}

/**
 * Writes the outputs into `outDir`; returns the paths written. The PNG renderer is loaded
 * only here (see `png.ts` for the permissions it needs).
 *
 * @example
 * ```ts
 * import { analyzeLogs } from "./analyze.ts";
 * import { writeOutputs } from "./write_outputs.ts";
 * import assert from "node:assert/strict";
 * const out = Deno.makeTempDirSync();
 * const analysis = analyzeLogs(["sample_logs/original_schema"]);
 * const written = await writeOutputs(analysis, out, { json: true });
 * assert.deepEqual(written.map((p) => p.slice(out.length + 1)), [
 *   "analysis_summary.md",
 *   "analysis_subplots.svg",
 *   "analysis_subplots.png",
 *   "analysis_summary.json",
 * ]);
 * Deno.removeSync(out, { recursive: true });
 * ```
 */
export async function writeOutputs(
  a: Analysis,
  outDir: string,
  options: WriteOptions = {},
): Promise<string[]> {
  const title = `Lamport clocks: ${a.summary.machines.length} machines, ${
    Math.round(a.summary.run.duration * 10) / 10
  } s`;
  const svg = renderSvg(a.panels, { title, width: options.width ?? 1000 });
  const written = [
    writeOutputFile(outDir, { name: "analysis_summary.md", data: summaryMarkdown(a.summary) }),
    writeOutputFile(outDir, { name: "analysis_subplots.svg", data: svg }),
  ];
  if (!options.noPng) {
    const png = await pngOf(svg, `${outDir.replace(/\/+$/, "") || "/"}/analysis_subplots.png`);
    written.push(writeOutputFile(outDir, { name: "analysis_subplots.png", data: png }));
  }
  if (options.json) {
    const json = JSON.stringify(a.summary, null, 2) + "\n";
    written.push(writeOutputFile(outDir, { name: "analysis_summary.json", data: json }));
  }
  return written;
}

/**
 * The PNG of `svg`, for the file `path`: a renderer that cannot load (a permission missing) or
 * fails is an {@link AnalysisError} saying so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pngOf } from "./write_outputs.ts";
 * const png = await pngOf('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>', "x.png");
 * assert.equal(png[1], 0x50); // "P"
 * await assert.rejects(pngOf("<p/>", "x.png"), /^AnalysisError: Cannot draw "x.png": the renderer failed/);
 * ```
 */
export async function pngOf(svg: string, path: string): Promise<Uint8Array> {
  try {
    return await svgToPng(svg);
  } catch (e) {
    const message = e instanceof Error && e.message.startsWith("Cannot load the PNG renderer")
      ? e.message
      : `Cannot draw "${path}": the renderer failed (see the cause)`;
    throw new AnalysisError(message, { cause: e });
  }
}

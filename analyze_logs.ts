/**
 * `analyze_logs.ts`: merges node logs, verifies Lamport's clock conditions and message
 * conservation, reconstructs happened-before, and writes `analysis_summary.md`,
 * `analysis_subplots.svg`/`.png`, `analysis_spacetime.svg`/`.png`, `analysis_report.html` and
 * (with `--json`) `analysis_summary.json` next to the first log or into `--out`.
 *
 * Usage: `deno task analyze logs/run_X [--out DIR] [--json] [--lenient] [--no-verify]
 * [--window START:END] [--spacetime-axis time|lamport] [--shiviz FILE] [--no-causality]
 * [--no-png] [--allow-incomplete]` (`--help` needs no permission).
 *
 * Exit codes (docs/analyzer_exit_codes.md): 0 verified (every machine finished, every message
 * accounted for, every check held); 1 a failed check, bad input, or an output that cannot be
 * written; 2 bad usage; 3 incomplete (not everything could be checked; 0 with
 * `--allow-incomplete`). A failed check beats incomplete.
 *
 * @module
 */
import { analyzeLogs } from "./lib/analysis/analyze.ts";
import type { AnalysisSummary } from "./lib/analysis/summary_data.ts";
import { AnalysisError, fsProblem } from "./lib/analysis/errors.ts";
import { plotWidth } from "./lib/analysis/chart.ts";
import { dirOf, writeOutputs } from "./lib/analysis/write_outputs.ts";
import { PNG_PERMISSIONS } from "./lib/analysis/png.ts";
import { resolveLogPaths } from "./lib/analysis/log_paths.ts";
import { errorMessage } from "./lib/core/errors.ts";
import { ANALYZE_HELP, type AnalyzeRun, parseAnalyzeArgs } from "./lib/cli/analyze_args.ts";
import { UsageError } from "./lib/cli/flag_values.ts";
import { openShivizFile, type ShivizFile } from "./lib/report/shiviz_file.ts";
import { writeCausalityOutputs } from "./lib/report/write_causality.ts";

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseAnalyzeArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`analyze_logs.ts: ${e.message}; see --help`);
    return 2;
  }
  if (args.help) {
    console.log(ANALYZE_HELP);
    return 0;
  }
  let shiviz: ShivizFile | null = null;
  try {
    const paths = resolveLogPaths(args.paths);
    const outDir = args.out ?? dirOf(paths[0]);
    checkPermissions(outDir, args.png);
    if (args.out !== undefined) makeOutDir(outDir);
    if (args.shiviz !== undefined) shiviz = openShivizFile(args.shiviz);
    return await analyze(paths, { args, outDir, shiviz });
  } catch (e) {
    if (e instanceof AnalysisError) {
      console.error(`error: ${e.message}`);
      if (e.cause !== undefined) console.error(`  cause: ${errorMessage(e.cause)}`);
      return 1;
    }
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
      console.error(`error: Cannot analyze: ${fsProblem(e)}`);
      console.error(`  cause: ${errorMessage(e)}`);
      return 1;
    }
    throw e;
  } finally {
    shiviz?.close();
  }
}

/** Checks, before any work, that the outputs can be written and the PNGs drawn. */
function checkPermissions(outDir: string, png: boolean): void {
  if (Deno.permissions.querySync({ name: "write", path: outDir }).state !== "granted") {
    throw new AnalysisError(
      `Cannot write the outputs to "${outDir}": no write permission there (run with --allow-write=${outDir}, or pass --out with a directory inside the project)`,
    );
  }
  if (png && Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    throw new AnalysisError(
      `Cannot draw the PNG charts as the PNG renderer is not permitted: run with ${PNG_PERMISSIONS}, or pass --no-png`,
    );
  }
}

function makeOutDir(outDir: string): void {
  try {
    Deno.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new AnalysisError(`Cannot create the output directory "${outDir}": ${fsProblem(e)}`, {
      cause: e,
    });
  }
}

/** Analyzes, writes the outputs and prints the verdict; returns the exit code. */
async function analyze(
  paths: string[],
  o: { args: AnalyzeRun; outDir: string; shiviz: ShivizFile | null },
): Promise<number> {
  const { args, outDir, shiviz } = o;
  const started = performance.now();
  const analysis = analyzeLogs(paths, {
    lenient: args.lenient,
    verify: args.verify,
    columns: plotWidth(1000),
    warn: (m) => console.error(`warning: ${m}`),
    causality: { skip: !args.causality, window: args.window, shiviz: shiviz?.write },
  });
  const analyzed = performance.now();
  const noPng = !args.png;
  const written = await writeOutputs(analysis, outDir, { json: args.json, noPng });
  if (args.causality) {
    written.push(...await writeCausalityOutputs(analysis, outDir, { axis: args.axis, noPng }));
  }
  const s = analysis.summary;
  if (shiviz !== null && args.shiviz !== undefined) {
    if (s.causality.available) written.push(args.shiviz);
    else {
      shiviz.close();
      Deno.removeSync(args.shiviz);
      console.log(
        `ShiViz export not written: happened-before is not available: ${s.causality.reason}`,
      );
    }
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const now = performance.now();
  const code = exitCode(s, args.allowIncomplete);
  if (s.incomplete_reasons.length > 0) {
    console.log(
      `INCOMPLETE: the run could not be fully checked (${
        code === 3
          ? "exit 3; --allow-incomplete exits 0"
          : code === 0
          ? "allowed by --allow-incomplete"
          : "and a check failed: exit 1"
      }):`,
    );
    for (const r of s.incomplete_reasons) console.log(`  - ${r}`);
  }
  console.log(
    `Analyzed ${s.files.length} log(s): ${s.total_events} events, schema ${s.log_schema}, in ${
      seconds(now - started)
    } s (analysis ${seconds(analyzed - started)} s, outputs ${seconds(now - analyzed)} s)`,
  );
  console.log(`Final Drift (max - min final_clock): ${s.final_drift}`);
  const failed = s.checks.filter((c) => c.failed > 0);
  if (s.checks.length === 0) console.log("Checks: skipped (--no-verify)");
  else if (failed.length === 0) {
    console.log(
      `Checks: all ${s.checks.filter((c) => c.available).length} available checks held` +
        (s.legacy === null
          ? ""
          : " on the messages with ids; messages to and from original (Python) nodes carry " +
            "no ids and no acks and were only counted (see INCOMPLETE above)"),
    );
  } else {
    for (const c of failed) {
      console.log(`Check FAILED: ${c.description}: ${c.failed} of ${c.checked}`);
      for (const v of c.violations) console.log(`  ${v}`);
    }
  }
  for (const w of written) console.log(`Wrote ${w}`);
  console.log(`Status: ${s.status} (exit ${code})`);
  return code;
}

/** The exit code of a summary: a failed check (1) beats incomplete (3, or 0 when allowed). */
function exitCode(s: AnalysisSummary, allowIncomplete: boolean): number {
  if (s.status === "failed") return 1;
  if (s.status === "incomplete") return allowIncomplete ? 0 : 3;
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

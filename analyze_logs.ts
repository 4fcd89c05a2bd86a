/**
 * `analyze_logs.ts`: merges node logs, verifies Lamport's clock conditions and message
 * conservation, reconstructs happened-before, and writes `analysis_summary.md`,
 * `analysis_subplots.svg`/`.png`, `analysis_spacetime.svg`/`.png`, `analysis_report.html` and
 * (with `--json`) `analysis_summary.json` next to the first log or into `--out`.
 *
 * Usage: `deno task analyze logs/run_X/*.log [--out DIR] [--json] [--lenient] [--no-verify]
 * [--window START:END] [--spacetime-axis time|lamport] [--shiviz FILE] [--no-causality]
 * [--allow-incomplete]`
 *
 * Exit codes (docs/analyzer_exit_codes.md): 0 verified (every machine finished, every message
 * accounted for, every check held); 1 a failed check, bad input, or an output that cannot be
 * written; 2 bad usage; 3 incomplete (not everything could be checked; 0 with
 * `--allow-incomplete`). A failed check beats incomplete.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { analyzeLogs } from "./lib/analysis/analyze.ts";
import type { AnalysisSummary } from "./lib/analysis/summary_data.ts";
import { AnalysisError } from "./lib/analysis/errors.ts";
import { plotWidth } from "./lib/analysis/chart.ts";
import { dirOf, writeOutputs } from "./lib/analysis/write_outputs.ts";
import { resolveLogPaths } from "./lib/analysis/log_files.ts";
import { errorMessage } from "./lib/core/errors.ts";
import { parseWindow, type TimeWindow } from "./lib/causality/window.ts";
import { openShivizFile, type ShivizFile } from "./lib/report/shiviz_file.ts";
import { writeCausalityOutputs } from "./lib/report/write_causality.ts";

const HELP = `Usage: deno task analyze [options] <log files or directories...>

Merges the logs of a run, checks Lamport's clock conditions and message conservation,
reconstructs happened-before (vector clocks), and writes analysis_summary.md,
analysis_subplots.svg/.png, analysis_spacetime.svg/.png and analysis_report.html.

Options:
  --out DIR                  write the outputs into DIR (default: the directory of the first log)
  --json                     also write analysis_summary.json (machine-readable summary)
  --lenient                  skip malformed lines (counted; the run is then incomplete) instead
                             of failing
  --no-verify                skip the checks (the exit code then ignores them)
  --allow-incomplete         exit 0 instead of 3 for an incomplete run (the reasons are still shown)
  --window START:END         seconds since the run start drawn in analysis_spacetime.svg
                             (default: a legible slice from the start, at most 10 s)
  --spacetime-axis AXIS      x axis of analysis_spacetime.svg: time (default) or lamport
  --shiviz FILE              also write the run as a ShiViz log (vector clocks) to FILE
  --no-causality             skip happened-before, the space-time diagram and the report
  -h, --help                 show this help

Exit codes:
  0  verified: every machine finished (END, reason not "failed"), every message is
     accounted for, every check held (or --no-verify, or incomplete with --allow-incomplete)
  1  a check failed (beats 3), bad input, or an output that cannot be written
  2  bad usage
  3  incomplete: a log without END or cut short, END reason "failed", messages of unknown
     fate, rejected by the receiver, legacy or from/to machines without a log, lines
     skipped by --lenient, checks not available for these logs; the reasons come first`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        json: { type: "boolean", default: false },
        lenient: { type: "boolean", default: false },
        "no-verify": { type: "boolean", default: false },
        "allow-incomplete": { type: "boolean", default: false },
        window: { type: "string" },
        "spacetime-axis": { type: "string", default: "time" },
        shiviz: { type: "string" },
        "no-causality": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(
      `Cannot parse arguments: current value is ${argv.join(" ")}: ${errorMessage(e)}`,
    );
    console.error(HELP);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  let window: TimeWindow | undefined;
  try {
    if (values.window !== undefined) window = parseWindow(values.window);
    const axis = values["spacetime-axis"];
    if (axis !== "time" && axis !== "lamport") {
      throw new RangeError(
        `Cannot use --spacetime-axis as it must be time or lamport: current value is "${axis}"`,
      );
    }
    if (values["no-causality"] && (values.shiviz !== undefined || values.window !== undefined)) {
      throw new RangeError(
        "Cannot use --shiviz or --window with --no-causality: current value skips happened-before",
      );
    }
  } catch (e) {
    console.error(`error: ${errorMessage(e)}`);
    return 2;
  }
  const started = performance.now();
  let shiviz: ShivizFile | null = null;
  try {
    const paths = resolveLogPaths(positionals);
    const outDir = values.out ?? dirOf(paths[0]);
    if (Deno.permissions.querySync({ name: "write", path: outDir }).state !== "granted") {
      throw new AnalysisError(
        `Cannot write the outputs to ${outDir}: current value is no write permission there (run with --allow-write=${outDir}, or pass --out with a directory inside the project)`,
      );
    }
    if (values.out !== undefined) Deno.mkdirSync(outDir, { recursive: true });
    if (values.shiviz !== undefined) shiviz = openShivizFile(values.shiviz);
    const analysis = analyzeLogs(paths, {
      lenient: values.lenient,
      verify: !values["no-verify"],
      columns: plotWidth(1000),
      warn: (m) => console.error(`warning: ${m}`),
      causality: { skip: values["no-causality"], window, shiviz: shiviz?.write },
    });
    const analyzed = performance.now();
    const written = writeOutputs(analysis, outDir, { json: values.json });
    if (!values["no-causality"]) {
      written.push(
        ...writeCausalityOutputs(analysis, outDir, {
          axis: values["spacetime-axis"] as "time" | "lamport",
        }),
      );
    }
    if (shiviz !== null) {
      if (analysis.summary.causality.available) written.push(values.shiviz!);
      else {
        shiviz.close();
        Deno.removeSync(values.shiviz!);
        console.log(
          `ShiViz export not written: happened-before is not available: ${analysis.summary.causality.reason}`,
        );
      }
    }
    const s = analysis.summary;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const parts = `analysis ${((analyzed - started) / 1000).toFixed(2)} s, outputs ${
      ((performance.now() - analyzed) / 1000).toFixed(2)
    } s`;
    const code = exitCode(s, values["allow-incomplete"]);
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
      `Analyzed ${s.files.length} log(s): ${s.total_events} events, schema ${s.log_schema}, in ${seconds} s (${parts})`,
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
  } catch (e) {
    if (e instanceof AnalysisError) {
      console.error(`error: ${e.message}`);
      if (e.cause !== undefined) console.error(`  cause: ${errorMessage(e.cause)}`);
      return 1;
    }
    if (
      e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable ||
      e instanceof Deno.errors.NotFound
    ) {
      console.error(`error: Cannot analyze: current value is ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    shiviz?.close();
  }
}

/** The exit code of a summary: a failed check (1) beats incomplete (3, or 0 when allowed). */
function exitCode(s: AnalysisSummary, allowIncomplete: boolean): number {
  if (s.status === "failed") return 1;
  if (s.status === "incomplete") return allowIncomplete ? 0 : 3;
  return 0;
}

if (import.meta.main) Deno.exit(main(Deno.args));

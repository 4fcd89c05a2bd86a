/**
 * The command line of `analyze_logs.ts`: its flags, its `--help` text, and one-line usage
 * errors (`Cannot use --outt: it is not a flag of analyze_logs.ts (did you mean --out?)`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseWindow, type TimeWindow } from "../causality/window.ts";
import { UsageError } from "./flag_values.ts";

/** What the analyzer was asked to do (`help: true`: print {@link ANALYZE_HELP}, nothing else). */
export type AnalyzeArgs = { help: true } | AnalyzeRun;

/** The analysis asked for. */
export interface AnalyzeRun {
  /** Not the help. */
  help: false;
  /** Log files and directories, as given (none: the analysis says what to pass). */
  paths: string[];
  /** `--out DIR`, or undefined: next to the first log. */
  out: string | undefined;
  /** `--json`. */
  json: boolean;
  /** `--lenient`. */
  lenient: boolean;
  /** Not `--no-verify`. */
  verify: boolean;
  /** `--allow-incomplete`. */
  allowIncomplete: boolean;
  /** `--window START:END`, or undefined: the default window. */
  window: TimeWindow | undefined;
  /** `--spacetime-axis`. */
  axis: "time" | "lamport";
  /** `--shiviz FILE`, or undefined. */
  shiviz: string | undefined;
  /** `--no-causality`. */
  causality: boolean;
  /** Not `--no-png`. */
  png: boolean;
}

/** The analyzer's `--help`. */
export const ANALYZE_HELP = `Usage: deno task analyze [options] <log files or directories...>

Merges the logs of a run, checks Lamport's clock conditions and message conservation,
reconstructs happened-before (vector clocks), and writes analysis_summary.md,
analysis_subplots.svg/.png, analysis_spacetime.svg/.png and analysis_report.html.
Give the run's directory (logs/run_X) or its *.log files.

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
  --no-png                   write the charts as SVG only (the PNG renderer, a native addon,
                             needs --allow-ffi, --allow-read and --allow-sys)
  -h, --help                 show this help

Exit codes:
  0  verified: every machine finished (END, reason not "failed"), every message is
     accounted for, every check held (or --no-verify, or incomplete with --allow-incomplete)
  1  a check failed (beats 3), bad input, or an output that cannot be written
  2  bad usage
  3  incomplete: a log without END or cut short, END reason "failed", messages of unknown
     fate, rejected by the receiver, legacy or from/to machines without a log, lines
     skipped by --lenient, checks not available for these logs; the reasons come first`;

const OPTIONS = {
  out: { type: "string" },
  json: { type: "boolean", default: false },
  lenient: { type: "boolean", default: false },
  "no-verify": { type: "boolean", default: false },
  "allow-incomplete": { type: "boolean", default: false },
  window: { type: "string" },
  "spacetime-axis": { type: "string", default: "time" },
  shiviz: { type: "string" },
  "no-causality": { type: "boolean", default: false },
  "no-png": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const PROGRAM = "analyze_logs.ts";

/**
 * Parses the analyzer's arguments; a bad command line is a {@link UsageError} of one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAnalyzeArgs } from "./analyze_args.ts";
 * const run = parseAnalyzeArgs(["logs/run_1", "--json", "--window", "0:5"]);
 * assert.ok(!run.help);
 * assert.deepEqual([run.paths, run.json, run.window], [["logs/run_1"], true, { from: 0, to: 5 }]);
 * assert.deepEqual(parseAnalyzeArgs(["-h"]), { help: true });
 * assert.throws(() => parseAnalyzeArgs(["--jsn"]), {
 *   message: "Cannot use --jsn: it is not a flag of analyze_logs.ts (did you mean --json?)",
 * });
 * ```
 */
export function parseAnalyzeArgs(argv: string[]): AnalyzeArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    throw usageOf(err);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  const axis = v["spacetime-axis"];
  if (axis !== "time" && axis !== "lamport") {
    throw new UsageError(
      `Cannot use --spacetime-axis as it must be time or lamport: current value is "${axis}"`,
    );
  }
  if (v["no-causality"] && (v.shiviz !== undefined || v.window !== undefined)) {
    throw new UsageError(
      `Cannot use ${
        v.shiviz !== undefined ? "--shiviz" : "--window"
      } with --no-causality: it needs happened-before, which --no-causality skips`,
    );
  }
  let window: TimeWindow | undefined;
  if (v.window !== undefined) {
    try {
      window = parseWindow(v.window);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  }
  return {
    help: false,
    paths: parsed.positionals,
    out: v.out,
    json: v.json,
    lenient: v.lenient,
    verify: !v["no-verify"],
    allowIncomplete: v["allow-incomplete"],
    window,
    axis,
    shiviz: v.shiviz,
    causality: !v["no-causality"],
    png: !v["no-png"],
  };
}

/** A `node:util` parse error as one plain line. */
function usageOf(err: unknown): UsageError {
  const code = (err as { code?: string }).code;
  const text = err instanceof Error ? err.message : String(err);
  const flag = /'(-[^' ]+)/.exec(text)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const near = closestFlag(flag.replace(/^-+/, ""));
    return new UsageError(
      `Cannot use ${flag}: it is not a flag of ${PROGRAM}` +
        (near === null ? "" : ` (did you mean --${near}?)`),
    );
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return /does not take an argument/.test(text)
      ? new UsageError(`Cannot use ${flag} with a value: it is a switch (want ${flag} alone)`)
      : new UsageError(`Cannot use ${flag}: its value is missing (want ${flag} VALUE)`);
  }
  return new UsageError(`Cannot read the arguments: ${text}`);
}

/**
 * The flag closest to `name` (a typo of at most a third of its letters, at least 2, or a
 * prefix of 3 letters or more), or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closestFlag } from "./analyze_args.ts";
 * assert.equal(closestFlag("lenint"), "lenient");
 * assert.equal(closestFlag("spacetime"), "spacetime-axis");
 * assert.equal(closestFlag("zzzzzz"), null);
 * ```
 */
export function closestFlag(name: string): string | null {
  const lower = name.toLowerCase().replaceAll("_", "-");
  let best: string | null = null, bestDistance = Infinity;
  for (const flag of Object.keys(OPTIONS)) {
    if (lower.length >= 3 && flag.startsWith(lower)) return flag;
    const d = distance(lower, flag);
    if (d < bestDistance) (best = flag, bestDistance = d);
  }
  return bestDistance <= Math.max(2, Math.floor(lower.length / 3)) ? best : null;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

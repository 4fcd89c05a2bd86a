/**
 * The command line of `analyze_logs.ts`: its flags, its `--help` text, and one-line usage
 * errors (`Cannot use --outt: it is not a flag of analyze_logs.ts (did you mean --out?)`).
 *
 * @module
 */
import { parseWindow, type TimeWindow } from "../causality/window.ts";
import { ANALYZE_FLAGS } from "./analyze_flags.ts";
import { formatHelp } from "./flag_help.ts";
import { parseFlags } from "./flag_parse.ts";
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

/** The analyzer's `--help`, made from {@linkcode ANALYZE_FLAGS}. */
export const ANALYZE_HELP: string = formatHelp(ANALYZE_FLAGS, {
  usage: "Usage: deno task analyze [options] <log files or directories...>",
  intro: `Merges the logs of a run, checks Lamport's clock conditions and message conservation,
reconstructs happened-before (vector clocks), and writes analysis_summary.md,
analysis_subplots.svg/.png, analysis_spacetime.svg/.png and analysis_report.html.
Give the run's directory (logs/run_X) or its *.log files.`,
  outro: `Exit codes:
  0  verified: every machine finished (END, reason not "failed"), every message is
     accounted for, every check held (or --no-verify, or incomplete with --allow-incomplete)
  1  a check failed (beats 3), bad input, or an output that cannot be written
  2  bad usage
  3  incomplete: a log without END or cut short, END reason "failed", messages of unknown
     fate, rejected by the receiver, legacy or from/to machines without a log, lines
     skipped by --lenient, checks not available for these logs; the reasons come first`,
}).trimEnd();

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
  const flags = parseFlags(ANALYZE_FLAGS, argv);
  if (flags.boolean("help")) return { help: true };
  const axis = flags.string("spacetime-axis") as "time" | "lamport";
  const windowText = flags.string("window");
  const shiviz = flags.string("shiviz");
  const out = flags.string("out");
  const causality = !flags.boolean("no-causality");
  if (!causality && (shiviz !== undefined || windowText !== undefined)) {
    throw new UsageError(
      `Cannot use ${
        shiviz !== undefined ? "--shiviz" : "--window"
      } with --no-causality: it needs happened-before, which --no-causality skips`,
    );
  }
  return {
    help: false,
    paths: [...flags.positionals],
    out,
    json: flags.boolean("json"),
    lenient: flags.boolean("lenient"),
    verify: !flags.boolean("no-verify"),
    allowIncomplete: flags.boolean("allow-incomplete"),
    window: windowText === undefined ? undefined : parseWindow(windowText),
    axis,
    shiviz,
    causality,
    png: !flags.boolean("no-png"),
  };
}

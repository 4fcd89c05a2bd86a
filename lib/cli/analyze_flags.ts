/**
 * The flags of `analyze_logs.ts`: the table its parser, its `--help` and `docs/analyzer.md`
 * use.
 *
 * @module
 */
import { parseWindow } from "../causality/window.ts";
import type { FlagTable } from "./flag_parse.ts";
import { HELP } from "./flag_specs.ts";

/** Checks `START:END`: the wanted form when it is not one, else `null`. */
function windowProblem(value: number | string): string | null {
  try {
    parseWindow(String(value));
    return null;
  } catch {
    return "START:END in seconds since the run start, END > START >= 0 (e.g. 0:10)";
  }
}

/**
 * The flags of `analyze_logs.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ANALYZE_FLAGS } from "./analyze_flags.ts";
 * import { parseFlags } from "./flag_parse.ts";
 * const flags = parseFlags(ANALYZE_FLAGS, ["logs/run_1", "--window", "0:5"]);
 * assert.deepEqual(flags.positionals, ["logs/run_1"]);
 * assert.equal(flags.string("spacetime-axis"), "time");
 * assert.deepEqual(flags.string("window"), "0:5");
 * assert.throws(() => parseFlags(ANALYZE_FLAGS, ["--window", "9:3"]).string("window"), {
 *   message: "Cannot use --window as it must be START:END in seconds since the run start, END > START >= 0 (e.g. 0:10): current value is \"9:3\"",
 * });
 * ```
 */
export const ANALYZE_FLAGS = {
  program: "analyze_logs.ts",
  positionals: "LOGS...",
  flags: [
    {
      name: "out",
      kind: "string",
      arg: "DIR",
      defaultText: "the directory of the first log",
      help: "write the outputs into DIR (created if missing)",
      scope: "cli",
    },
    {
      name: "json",
      kind: "boolean",
      help: "also write analysis_summary.json (fields: docs/analysis_summary_json.md)",
      scope: "cli",
    },
    {
      name: "lenient",
      kind: "boolean",
      help: "skip malformed lines instead of failing (counted; the run is then incomplete)",
      scope: "cli",
    },
    {
      name: "no-verify",
      kind: "boolean",
      help: "skip the checks (the exit code then ignores them)",
      scope: "cli",
    },
    {
      name: "allow-incomplete",
      kind: "boolean",
      help: "exit 0 instead of 3 for an incomplete run (the reasons are still shown)",
      scope: "cli",
    },
    {
      name: "window",
      kind: "string",
      arg: "START:END",
      defaultText: "a legible slice from the start, at most 10 s",
      range: "START:END in seconds since the run start, END > START >= 0",
      check: windowProblem,
      help: "seconds of the run drawn in analysis_spacetime.svg",
      scope: "cli",
    },
    {
      name: "spacetime-axis",
      kind: "string",
      arg: "AXIS",
      default: "time",
      range: "time or lamport",
      check: (v) => (v === "time" || v === "lamport" ? null : "time or lamport"),
      help: "x axis of analysis_spacetime.svg",
      scope: "cli",
    },
    {
      name: "shiviz",
      kind: "string",
      arg: "FILE",
      help: "also write the run as a ShiViz log (vector clocks) to FILE",
      scope: "cli",
    },
    {
      name: "no-causality",
      kind: "boolean",
      help: "skip happened-before, the space-time diagram and the report",
      scope: "cli",
    },
    {
      name: "no-png",
      kind: "boolean",
      help: "write the charts as SVG only (the PNG renderer, a native addon, needs " +
        "--allow-ffi, --allow-read and --allow-sys)",
      scope: "cli",
    },
    { ...HELP, group: "Options" },
  ],
} as const satisfies FlagTable;

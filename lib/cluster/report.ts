/**
 * The end of a run: a short report (how each node ended, where the logs are, the exact
 * command that analyzes them) and `--analyze`, which runs that analysis right away.
 *
 * @module
 */
import { analyzeCommandLine, analyzeProgram, type Launcher } from "./command.ts";
import type { ClusterResult } from "./run.ts";
import { osReason } from "../io/os_error.ts";

/** Options of {@linkcode formatReport}. */
export interface ReportOptions {
  /** How the nodes (and the analyzer) were started. */
  launcher: Launcher;
  /** The run seed, shown with how to repeat the run. */
  seed?: number;
  /** A simulated run. */
  simulated?: boolean;
  /** `--analyze`: the analysis follows, so no hint to run it. */
  analyze?: boolean;
  /** What was removed of a run that failed before its common start (no logs kept). */
  discarded?: string;
}

/**
 * The report printed when a run ends: how each node ended (or that it never started), the
 * seed, where the logs are and the command that analyzes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatReport } from "./report.ts";
 * const node = { id: 1, port: 5001, log: "logs/run_x/machine_1.log", finalClock: 12, started: true, rate: 3, code: 0, signal: null, error: null };
 * const ok = { dir: "logs/run_x", ok: true, error: null, interrupted: null, startAt: 0, startupMs: 420, nodes: [node] };
 * const launcher = { mode: "compiled", execPath: "/opt/lab/run_machine" } as const;
 * assert.equal(formatReport(ok, { launcher }), [
 *   "Run finished.",
 *   "  node 1  port 5001  rate 3/s  final clock 12  ok",
 *   "Start-up to first tick: 420 ms",
 *   "Logs: logs/run_x/machine_<id>.log",
 *   "Analyze: /opt/lab/analyze_logs logs/run_x",
 *   "",
 * ].join("\n"));
 * const failed = {
 *   ...ok, ok: false, startAt: null, startupMs: null, error: "node 1 exited with code 1",
 *   nodes: [{ ...node, finalClock: null, started: false, rate: null, code: 1, error: "node 1 exited with code 1" }],
 * };
 * assert.match(formatReport(failed, { launcher, discarded: 'removed "logs/run_x"' }),
 *   /^Run failed before the common start: no node ticked\.\n.*\n  node 1  port 5001  never started: node 1 exited with code 1\nLogs: none kept \(removed "logs\/run_x"\)\n$/);
 * ```
 */
export function formatReport(result: ClusterResult, options: ReportOptions): string {
  const lines: string[] = [];
  const head = result.ok
    ? "Run finished"
    : result.interrupted
    ? `Run interrupted by ${result.interrupted}`
    : "Run failed";
  const early = !options.simulated && result.startAt === null;
  lines.push(
    `${head}${options.simulated ? " (simulated)" : ""}` +
      (early ? " before the common start: no node ticked." : "."),
  );
  if (result.error !== null) lines.push(`Error: ${result.error}`);
  for (const n of result.nodes) {
    const head = `  node ${n.id}  port ${n.port}`;
    if (!n.started) {
      const why = result.interrupted
        ? `(stopped: the run was interrupted by ${result.interrupted})`
        : "(stopped: the run failed)";
      lines.push(`${head}  never started${n.error === null ? ` ${why}` : `: ${n.error}`}`);
      continue;
    }
    const rate = n.rate === null ? "" : `  rate ${n.rate}/s`;
    const clock = n.finalClock === null ? "-" : String(n.finalClock);
    lines.push(`${head}${rate}  final clock ${clock}  ${n.error ?? "ok"}`);
  }
  if (options.seed !== undefined) {
    lines.push(`Seed: ${options.seed} (repeat with --seed ${options.seed})`);
  }
  if (result.startupMs !== null) lines.push(`Start-up to first tick: ${result.startupMs} ms`);
  if (options.discarded !== undefined) {
    lines.push(`Logs: none kept (${options.discarded})`);
    return lines.join("\n") + "\n";
  }
  lines.push(`Logs: ${result.dir}/machine_<id>.log`);
  if (!options.analyze) lines.push(`Analyze: ${analyzeCommandLine(options.launcher, result.dir)}`);
  return lines.join("\n") + "\n";
}

/**
 * Runs the analyzer on `dir` with inherited output; returns its exit code (or an error text
 * when it could not be started).
 *
 * @example
 * ```ts ignore
 * import { runAnalysis } from "./report.ts";
 * const code = await runAnalysis({ mode: "deno", execPath: Deno.execPath() }, "logs/run_x");
 * ```
 */
export async function runAnalysis(launcher: Launcher, dir: string): Promise<number | string> {
  const p = analyzeProgram(launcher, dir);
  try {
    const status = await new Deno.Command(p.exec, {
      args: p.args,
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    return status.code;
  } catch (err) {
    return `Cannot run the analyzer ${JSON.stringify(p.exec)}: ${osReason(err)}`;
  }
}

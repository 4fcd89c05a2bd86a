/**
 * The end of a run: a short report (how each node ended, where the logs are, the exact
 * command that analyzes them) and `--analyze`, which runs that analysis right away.
 *
 * @module
 */
import { analyzeCommandLine, analyzeProgram, type Launcher } from "./command.ts";
import type { ClusterResult } from "./run.ts";
import { errorMessage } from "../core/errors.ts";

/**
 * The report printed when a run ends.
 *
 * @example
 * ```ts
 * import { formatReport } from "./report.ts";
 * const text = formatReport({
 *   dir: "logs/run_x", ok: true, error: null, interrupted: null, startAt: 0, startupMs: 420,
 *   nodes: [{ id: 1, port: 5001, log: "logs/run_x/machine_1.log", finalClock: 12, code: 0, signal: null, error: null }],
 * }, { launcher: { mode: "deno", execPath: "/usr/bin/deno" } });
 * text.includes("analyze_logs.ts logs/run_x"); // true
 * ```
 */
export function formatReport(
  result: ClusterResult,
  options: { launcher: Launcher; seed?: number; simulated?: boolean },
): string {
  const lines: string[] = [];
  const head = result.ok
    ? "Run finished"
    : result.interrupted
    ? `Run interrupted by ${result.interrupted}`
    : "Run failed";
  lines.push(`${head}${options.simulated ? " (simulated)" : ""}.`);
  if (result.error !== null) lines.push(`Error: ${result.error}`);
  for (const n of result.nodes) {
    const how = n.error ?? "ok";
    const clock = n.finalClock === null ? "-" : String(n.finalClock);
    lines.push(`  node ${n.id}  port ${n.port}  final clock ${clock}  ${how}`);
  }
  if (options.seed !== undefined) {
    lines.push(`Seed: ${options.seed} (repeat with --seed ${options.seed})`);
  }
  if (result.startupMs !== null) lines.push(`Start-up to first tick: ${result.startupMs} ms`);
  lines.push(`Logs: ${result.dir}/machine_<id>.log`);
  lines.push(`Analyze: ${analyzeCommandLine(options.launcher, result.dir)}`);
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
    return `Cannot run the analyzer: ${p.exec}: ${errorMessage(err)}`;
  }
}

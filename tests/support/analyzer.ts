/** Test support: running `analyze_logs.ts` as users do, and catching an `AnalysisError`. */
import assert from "node:assert/strict";
import { AnalysisError } from "../../lib/analysis/errors.ts";

const ANALYZE = new URL("../../analyze_logs.ts", import.meta.url).pathname;

/** What a run of the analyzer printed, and how it exited. */
export interface AnalyzerRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `analyze_logs.ts args` in a subprocess with the `analyze` task's permissions, writing
 * only to `writable` (no colours, no stdin); relative paths are relative to `options.cwd`.
 */
export async function runAnalyzer(
  args: string[],
  writable: string,
  options: { cwd?: string } = {},
): Promise<AnalyzerRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    cwd: options.cwd,
    args: [
      "run",
      "--allow-read",
      `--allow-write=${writable}`,
      "--allow-ffi",
      "--allow-sys=cpus,networkInterfaces,hostname",
      ANALYZE,
      ...args,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The message of the `AnalysisError` that `fn` throws (fails when it throws none, or another). */
export function analysisErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AnalysisError, `not an AnalysisError: ${e}`);
    return e.message;
  }
  assert.fail("no error thrown");
}

/**
 * What the two cluster benchmarks (`cluster_bench.ts`, `cluster_scale_bench.ts`) measure the
 * same way: the RSS of a run's node processes, and the lines that report it with the run's
 * message accounting.
 *
 * @module
 */
import type { accountMessages } from "../tests/support/log_check.ts";

/**
 * RSS (KiB) per pid of the `machine.ts` processes whose command line names `dir` (not
 * `run_machine.ts`), from `ps`.
 */
export function nodeRss(dir: string): Map<number, number> {
  const out = new Deno.Command("ps", { args: ["-eo", "pid=,rss=,args="], stdout: "piped" })
    .outputSync();
  const found = new Map<number, number>();
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m && m[3].includes("machine.ts") && m[3].includes(dir) && !m[3].includes("run_machine")) {
      found.set(Number(m[1]), Number(m[2]));
    }
  }
  return found;
}

/** Samples {@linkcode nodeRss} every second until the returned `stop()`; keeps each pid's peak. */
export function sampleNodeRss(dir: string): { stop: () => Promise<number[]> } {
  const peak = new Map<number, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, 1000));
      for (const [pid, kb] of nodeRss(dir)) peak.set(pid, Math.max(peak.get(pid) ?? 0, kb));
    }
  })();
  return {
    stop: async () => {
      sampling = false;
      await sampler;
      return [...peak.values()];
    },
  };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** The accounting line and the RSS line of a run's report. */
export function accountingLines(acc: ReturnType<typeof accountMessages>, kb: number[]): string[] {
  return [
    `  sent ${acc.sent}, received ${acc.received}, queued at END ${acc.queuedAtEnd}, ` +
    `undelivered ${acc.undelivered}, unaccounted ${acc.unaccounted.length}, ` +
    `clock violations ${acc.clockViolations.length}`,
    `  RSS per node (${kb.length} sampled): median ${(median(kb) / 1024).toFixed(1)} MiB, ` +
    `max ${(Math.max(...kb) / 1024).toFixed(1)} MiB`,
  ];
}

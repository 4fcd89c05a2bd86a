/**
 * Runs an experiment: every trial (simulated in workers, or as a real TCP cluster followed
 * by its analysis in a worker), then the report, JSON, SVG and PNG (drawn in this thread). The results are put in
 * plan order whatever order trials finish in, so the outputs do not depend on `jobs`.
 *
 * @module
 */
import { osReason } from "../io/os_error.ts";
import { detectLauncher, type Launcher } from "../cluster/command.ts";
import { runCluster } from "../cluster/run.ts";
import { errorMessage } from "../core/errors.ts";
import { type ExperimentDoc, experimentDoc, experimentJson } from "./aggregate.ts";
import { experimentChart } from "./chart.ts";
import { svgToPng } from "../analysis/png.ts";
import type { TrialFigures } from "./figures.ts";
import { type Job, WorkerPool } from "./pool.ts";
import { type ExperimentPlan, type TrialSpec, trialSpecs } from "./plan.ts";
import { ExperimentProgress } from "./progress.ts";
import { experimentMarkdown } from "./report.ts";

/** Options of {@linkcode runExperiment}. */
export interface ExperimentOptions {
  /** Output directory (exists, empty). */
  out: string;
  /** Trials at once; default 1. */
  jobs?: number;
  /** Progress display; default "none". */
  progress?: "tty" | "plain" | "none";
  /** Where progress goes; default stdout. */
  write?: (text: string) => void;
  /** Stops the experiment (no new trials; running simulations are abandoned). */
  signal?: AbortSignal;
  /** How real nodes are started (with `plan.real`); default detected. */
  launcher?: Launcher;
  /** The command line that repeats the experiment, shown in the report. */
  command?: string;
}

/** What {@linkcode runExperiment} did. */
export interface ExperimentResult {
  /** The results (`experiment.json`). */
  doc: ExperimentDoc;
  /** Files written, in `out`. */
  files: string[];
  /** Wall-clock seconds. */
  seconds: number;
}

/**
 * Runs `plan`, writing every trial under `options.out` and the experiment's outputs there.
 * Throws when a trial cannot run (its error names the trial) or when stopped.
 *
 * @example
 * ```ts ignore
 * import { runExperiment } from "./run.ts";
 * import { parseExperimentArgs } from "../cli/experiment_args.ts";
 * const { plan } = parseExperimentArgs(["--seed", "1", "--trials", "2", "--duration", "10"]);
 * const { doc } = await runExperiment(plan, { out: "logs/exp", jobs: 2 });
 * doc.scenarios[0].stats.final_drift?.mean;
 * ```
 */
export async function runExperiment(
  plan: ExperimentPlan,
  options: ExperimentOptions,
): Promise<ExperimentResult> {
  const t0 = performance.now();
  const out = options.out.replace(/\/+$/, "") || ".";
  const specs = trialSpecs(plan);
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, specs.length));
  const pool = new WorkerPool(jobs);
  const progress = new ExperimentProgress(specs.length, {
    mode: options.progress ?? "none",
    write: options.write,
  });
  const ticker = options.progress === "tty" ? setInterval(() => progress.draw(), 1000) : null;
  const stop = () => pool.close();
  options.signal?.addEventListener("abort", stop);
  try {
    progress.draw();
    const figures = new Array<TrialFigures>(specs.length);
    const finish = (i: number, f: TrialFigures) => {
      figures[i] = f;
      const s = specs[i];
      progress.trialDone(
        `${plan.scenarios[s.scenario].name} trial ${s.trial}: final drift ${f.metrics.final_drift}`,
      );
    };
    const analyze = (i: number, simulate: boolean) =>
      pool.run<TrialFigures>({ kind: "trial", spec: specs[i], out, simulate } satisfies Job)
        .catch((err) => {
          throw stopped(options.signal) ??
            new Error(`Cannot run trial "${specs[i].dir}": ${errorMessage(err)}`, { cause: err });
        });
    if (plan.real) await runReal(specs, { out, jobs, options, analyze, finish });
    else await Promise.all(specs.map((_, i) => analyze(i, true).then((f) => finish(i, f))));
    progress.finish();
    const doc = experimentDoc(plan, { specs, figures });
    const chart = experimentChart(doc);
    const files: [string, string][] = [
      ["experiment.md", experimentMarkdown(doc, { command: options.command })],
      ["experiment.json", experimentJson(doc)],
      ["experiment.svg", chart],
    ];
    const written: string[] = [];
    for (const [name, text] of files) {
      const path = `${out}/${name}`;
      try {
        Deno.writeTextFileSync(path, text);
      } catch (err) {
        throw new Error(`Cannot write "${path}": ${osReason(err)}`, { cause: err });
      }
      written.push(path);
    }
    // Drawn here, not in a worker: the workers never load the PNG renderer.
    const png = `${out}/experiment.png`;
    try {
      Deno.writeFileSync(png, await svgToPng(chart));
    } catch (err) {
      // A renderer that cannot load says which flags to add; a write error is an OS error.
      const why = err instanceof Error && err.message.startsWith("Cannot load the PNG renderer")
        ? `c${err.message.slice(1)}`
        : osReason(err);
      throw new Error(`Cannot write "${png}": ${why}`, { cause: err });
    }
    written.push(png);
    return { doc, files: written, seconds: (performance.now() - t0) / 1000 };
  } finally {
    if (ticker !== null) clearInterval(ticker);
    progress.finish();
    options.signal?.removeEventListener("abort", stop);
    pool.close();
  }
}

function stopped(signal: AbortSignal | undefined): Error | null {
  return signal?.aborted ? new Error("Cannot finish the experiment: it was stopped") : null;
}

/** Real clusters, `jobs` at a time, each on its own block of ports; analysis in the pool. */
async function runReal(
  specs: TrialSpec[],
  o: {
    out: string;
    jobs: number;
    options: ExperimentOptions;
    analyze: (i: number, simulate: boolean) => Promise<TrialFigures>;
    finish: (i: number, f: TrialFigures) => void;
  },
): Promise<void> {
  const launcher = o.options.launcher ?? detectLauncher();
  const block = Math.max(...specs.map((s) => s.options.count));
  let next = 0;
  const slot = async (k: number) => {
    try {
      await runSlot(k);
    } catch (err) {
      next = specs.length; // the other slots take no new trial
      throw err;
    }
  };
  const runSlot = async (k: number) => {
    while (next < specs.length) {
      if (o.options.signal?.aborted) throw stopped(o.options.signal);
      const i = next++;
      const spec = specs[i];
      const dir = `${o.out}/${spec.dir}`;
      Deno.mkdirSync(dir, { recursive: true });
      const options = { ...spec.options, basePort: spec.options.basePort + k * block };
      const result = await runCluster(options, { dir, launcher, progress: "none" });
      if (result.interrupted !== null) {
        throw new Error(`Cannot finish the experiment: interrupted by ${result.interrupted}`);
      }
      if (!result.ok) throw new Error(`Cannot run trial "${spec.dir}": ${result.error}`);
      o.finish(i, await o.analyze(i, false));
    }
  };
  await Promise.all(Array.from({ length: o.jobs }, (_, k) => slot(k)));
}

/**
 * The experiment's pieces in-process: the output directory, one trial, the trial worker, and a
 * whole (tiny) experiment whose PNG is drawn in this thread while the workers only write SVG.
 */
import assert from "node:assert/strict";
import { parseExperimentArgs } from "../lib/cli/experiment_args.ts";
import { createExperimentDir, prepareOutDir } from "../lib/experiment/out_dir.ts";
import { trialSpecs } from "../lib/experiment/plan.ts";
import type { Job } from "../lib/experiment/pool.ts";
import { runExperiment } from "../lib/experiment/run.ts";
import { runTrial } from "../lib/experiment/trial.ts";

const ARGS = ["--seed", "5", "--trials", "1", "--duration", "3", "--count", "2"];

function spec() {
  return trialSpecs(parseExperimentArgs(ARGS, { cores: 1 }).plan)[0];
}

function files(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("createExperimentDir() makes a new experiment_<time> directory; prepareOutDir() wants an empty one", () => {
  const root = Deno.makeTempDirSync();
  try {
    const now = new Date(Date.UTC(2026, 10, 28, 4, 6, 20));
    const a = createExperimentDir(root, { now }), b = createExperimentDir(root, { now });
    assert.match(a, /\/experiment_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    assert.equal(b, `${a}_2`);
    assert.equal(prepareOutDir(`${root}/new`), null);
    Deno.writeTextFileSync(`${a}/x.txt`, "");
    assert.match(prepareOutDir(a) ?? "", new RegExp(`^Cannot use --out "${a}"`));
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("runTrial() simulates a trial, writes the summaries and the SVG chart (no PNG) and returns its figures", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const s = spec();
    const figures = await runTrial(s, { out, simulate: true });
    assert.deepEqual(files(`${out}/${s.dir}`), [
      "analysis_subplots.svg",
      "analysis_summary.json",
      "analysis_summary.md",
      "machine_1.log",
      "machine_2.log",
    ]);
    const json = JSON.parse(Deno.readTextFileSync(`${out}/${s.dir}/analysis_summary.json`));
    assert.equal(figures.metrics.final_drift, json.final_drift);
    assert.equal(json.status, "verified");
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("the trial worker runs a job and answers with its figures, without loading the PNG renderer", async () => {
  const out = Deno.makeTempDirSync();
  const worker = new Worker(new URL("../lib/experiment/trial_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const { promise, resolve } = Promise.withResolvers<
      { id: number; ok: boolean; value?: { metrics: { final_drift: number } }; error?: string }
    >();
    worker.onmessage = (e) => resolve(e.data);
    const job: Job = { kind: "trial", spec: spec(), out, simulate: true };
    worker.postMessage({ id: 7, job });
    const answer = await promise;
    assert.equal(answer.id, 7);
    assert.ok(answer.ok, answer.error ?? "no error");
    assert.ok(Number.isInteger(answer.value?.metrics.final_drift));
  } finally {
    worker.terminate();
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("runExperiment() writes the report, JSON, SVG and the PNG drawn in the main thread", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const { plan } = parseExperimentArgs([...ARGS, "--scenario", "only:rate-min=2,rate-max=3"], {
      cores: 1,
    });
    const { doc, files: written } = await runExperiment(plan, { out, jobs: 1 });
    assert.deepEqual(written.map((p) => p.slice(out.length + 1)), [
      "experiment.md",
      "experiment.json",
      "experiment.svg",
      "experiment.png",
    ]);
    assert.equal(doc.scenarios.length, 1);
    const png = Deno.readFileSync(`${out}/experiment.png`);
    assert.equal(new TextDecoder().decode(png.subarray(1, 4)), "PNG");
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

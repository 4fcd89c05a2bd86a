import assert from "node:assert/strict";
import type { ExperimentDoc } from "../lib/experiment/aggregate.ts";
import { predictCluster } from "../lib/experiment/model.ts";
import { freeRange } from "./support/ports.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Runs a deno task exactly as a user would (its own permission flags), from the root. */
async function task(name: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", name, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A fresh directory under logs/ (the only place the experiment task may write). */
async function withLogsDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = `logs/.test-experiment-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await fn(dir);
  } finally {
    Deno.removeSync(`${ROOT}${dir}`, { recursive: true });
  }
}

const read = (path: string) => Deno.readFileSync(`${ROOT}${path}`);
const text = (path: string) => Deno.readTextFileSync(`${ROOT}${path}`);

Deno.test("deno task experiment: the full protocol, byte-identical outputs for one --seed whatever --jobs", async () => {
  await withLogsDir(async (dir) => {
    const a = await task("experiment", ["--seed", "7", "--out", `${dir}/a`, "--jobs", "1"]);
    assert.equal(a.code, 0, a.stderr);
    const b = await task("experiment", [
      "--out",
      `${dir}/b`,
      "--quiet",
      "--seed",
      "7",
      "--jobs",
      "2",
    ]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(
      a.stdout,
      /^Experiment: 4 scenarios × 5 trials × 60 s, 3 machines, simulated/,
    );
    assert.match(a.stdout, /Seed: 7; repeat with: deno task experiment --seed 7\n/);
    assert.match(a.stdout, /trial 20 of 20 done/); // plain progress lines when piped
    assert.doesNotMatch(b.stdout, /trial \d+ of/); // --quiet
    assert.match(a.stdout, /Analyzer checks: all held in 20 trials/);
    for (
      const f of [
        "experiment.json",
        "experiment.md",
        "experiment.svg",
        "baseline/trial_3/machine_2.log",
      ]
    ) {
      assert.deepEqual(
        read(`${dir}/a/${f}`),
        read(`${dir}/b/${f}`),
        `${f} differs between --jobs 1 and 2`,
      );
    }
    const doc: ExperimentDoc = JSON.parse(text(`${dir}/a/experiment.json`));
    assert.equal(doc.schema_version, 1);
    assert.equal(doc.seed, 7);
    assert.equal(doc.mode, "simulated");
    assert.equal(doc.virtual_start, "2026-01-01T00:00:00.000Z");
    assert.deepEqual(doc.scenarios.map((s) => s.name), [
      "baseline",
      "narrow-rates",
      "fewer-internal",
      "both",
    ]);
    const t = 2.776445; // t(0.975, 4), from the table
    for (const s of doc.scenarios) {
      assert.equal(s.trials.length, 5);
      for (const tr of s.trials) {
        assert.equal(tr.checks_ok, true, `${tr.dir}: ${tr.checks_failed}`);
        assert.equal(tr.seed, doc.scenarios[0].trials[tr.trial - 1].seed); // common random numbers
        // Each trial's figures are the analyzer's own, from the summary written next to its logs.
        const summary = JSON.parse(text(`${dir}/a/${tr.dir}/analysis_summary.json`));
        assert.equal(tr.metrics.final_drift, summary.final_drift);
        assert.equal(tr.metrics.sent, summary.messages.sent);
        assert.deepEqual(
          tr.rates,
          summary.machines.map((m: { clock_rate: number }) => m.clock_rate),
        );
        assert.equal(
          tr.rates.every((r) => r >= s.settings.rate_range[0] && r <= s.settings.rate_range[1]),
          true,
        );
        const p = predictCluster(tr.rates, { dieSides: s.settings.die_sides }).driftGrowth;
        assert.ok(Math.abs(tr.metrics.predicted_drift_growth! - p) < 1e-6);
      }
      // The CI is mean ± t · sd / √5 of the trial values, recomputed here independently.
      const v = s.trials.map((tr) => tr.metrics.final_drift!);
      const mean = v.reduce((x, y) => x + y, 0) / 5;
      const sd = Math.sqrt(v.reduce((x, y) => x + (y - mean) ** 2, 0) / 4);
      const st = s.stats.final_drift!;
      assert.ok(Math.abs(st.mean - mean) < 1e-6);
      assert.ok(Math.abs(st.low! - (mean - (t * sd) / Math.sqrt(5))) < 1e-5, `${s.name} low`);
      assert.ok(Math.abs(st.high! - (mean + (t * sd) / Math.sqrt(5))) < 1e-5, `${s.name} high`);
    }
    const md = text(`${dir}/a/experiment.md`);
    for (
      const heading of [
        "## Findings (baseline)",
        "## What changed",
        "## Comparison across scenarios",
        "## Predictions",
        "## Scenario: both",
      ]
    ) {
      assert.ok(md.includes(heading), heading);
    }
    assert.match(md, /Student t with n − 1 degrees of freedom/);
    assert.match(md, /\*\*narrow-rates\*\* \(rate-min=3, rate-max=4\) against \*\*baseline\*\*/);
    const png = read(`${dir}/a/experiment.png`);
    assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]); // "PNG"
    assert.equal(new DataView(png.buffer, png.byteOffset).getUint32(16), 1100); // IHDR width
    for (const f of ["machine_1.log", "analysis_summary.md", "analysis_subplots.svg"]) {
      assert.ok(Deno.statSync(`${ROOT}${dir}/a/both/trial_5/${f}`).isFile, f);
    }
    // Another seed, another experiment; an --out that is not empty is refused (exit 2).
    const c = await task("experiment", [
      "--seed",
      "8",
      "--out",
      `${dir}/c`,
      "--trials",
      "1",
      "--quiet",
    ]);
    assert.equal(c.code, 0, c.stderr);
    const first = (d: string) => JSON.parse(text(`${d}/experiment.json`)).scenarios[0].trials[0];
    assert.notDeepEqual(
      first(`${dir}/c`).rates.concat(first(`${dir}/c`).metrics.sent),
      first(`${dir}/a`).rates.concat(first(`${dir}/a`).metrics.sent),
    );
    const again = await task("experiment", ["--seed", "7", "--out", `${dir}/a`]);
    assert.equal(again.code, 2);
    assert.match(
      again.stderr,
      /Cannot use --out ".*\/a": current directory holds baseline, both, experiment\.json, … \(want a new or empty directory/,
    );
  });
});

Deno.test("deno task experiment:real: trials as real TCP clusters, analyzed like simulated ones", async () => {
  await withLogsDir(async (dir) => {
    const base = freeRange(6);
    const r = await task("experiment:real", [
      "--scenario",
      "tcp:rate=8",
      "--trials",
      "2",
      "--jobs",
      "2",
      "--duration",
      "1.5",
      "--base-port",
      String(base),
      "--seed",
      "3",
      "--out",
      `${dir}/real`,
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /real TCP clusters/);
    const doc: ExperimentDoc = JSON.parse(text(`${dir}/real/experiment.json`));
    assert.equal(doc.mode, "real");
    assert.equal(doc.virtual_start, null);
    assert.equal(doc.scenarios[0].settings.delay_ms, null);
    for (const tr of doc.scenarios[0].trials) {
      assert.equal(tr.checks_ok, true, tr.checks_failed.join(", "));
      assert.deepEqual(tr.rates, [8, 8, 8]);
      assert.equal(tr.machines.reduce((n, m) => n + m.ticks, 0), 3 * 12); // 8/s × 1.5 s each
    }
    // The two clusters ran at once on separate port blocks, and really over TCP.
    const ports = [1, 2].map((k) =>
      JSON.parse(text(`${dir}/real/tcp/trial_${k}/machine_1.log`).split("\n")[0]).port
    );
    assert.deepEqual(ports.sort(), [base, base + 3]);
    assert.match(text(`${dir}/real/tcp/trial_1/machine_1.log`), /"event": ?"LINK_UP"/);
  });
});

import assert from "node:assert/strict";
import { runAnalyzer } from "./support/analyzer.ts";
import { cutLastLine, withEditedRun } from "./support/fixture_copy.ts";

Deno.test("analyze_logs.ts writes md, svg, png and json with the exact figures, exit 0", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const r = await runAnalyzer(["tests/fixtures/run_small", "--out", out, "--json"], out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Final Drift \(max - min final_clock\): 2/);
    assert.match(r.stdout, /Checks: all 8 available checks held/);
    const md = Deno.readTextFileSync(`${out}/analysis_summary.md`);
    assert.match(md, /\*\*Final Drift \(max - min final_clock\)\*\*: 2\n/);
    assert.match(md, /## Summary Table/);
    assert.match(md, /\| 2 \| 1 \| 4 \| 2 \| 2 \| 2 \| 1 \| 0\.5 \| 0 \| 2 \| 0 \| yes \|/);
    assert.match(md, /Conservation: .*: holds for 6\/6/);
    assert.match(md, /Delivered but unacknowledged .*: 1/);
    const json = JSON.parse(Deno.readTextFileSync(`${out}/analysis_summary.json`));
    assert.equal(json.final_drift, 2);
    assert.deepEqual(json.machines.map((m: { final_clock: number }) => m.final_clock), [5, 4, 6]);
    const svg = Deno.readTextFileSync(`${out}/analysis_subplots.svg`);
    assert.match(svg, /machine 2 \(rate 1\/s\)/);
    assert.match(svg, /Drift \(max − min of the clocks\) vs time/);
    const png = Deno.readFileSync(`${out}/analysis_subplots.png`);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    // Happened-before: the summary section, the space-time diagram and the report.
    assert.match(md, /## Causality \(happened-before\)/);
    assert.match(md, /Lamport order .* linear extension .*: holds for 14\/14/);
    assert.equal(json.causality.events, 13);
    assert.match(
      Deno.readTextFileSync(`${out}/analysis_spacetime.svg`),
      /Space-time diagram: first/,
    );
    const spacetime = Deno.readFileSync(`${out}/analysis_spacetime.png`);
    assert.deepEqual([...spacetime.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const html = Deno.readTextFileSync(`${out}/analysis_report.html`);
    assert.match(html, /<script type="application\/json" id="lamport-data">/);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/); // nothing to fetch
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("analyze_logs.ts exits 1 when a check fails, 0 with --no-verify", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const failed = await runAnalyzer(["tests/fixtures/conservation", "--out", out], out);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /Check FAILED: Conservation/);
    assert.match(failed.stdout, /machine_2.log:5: duplicate/);
    const skipped = await runAnalyzer(
      ["tests/fixtures/conservation", "--out", out, "--no-verify"],
      out,
    );
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(Deno.readTextFileSync(`${out}/analysis_summary.md`), /Skipped \(--no-verify\)/);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("analyze_logs.ts exits 1 on bad input and 2 on bad usage, writing nothing", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const bad = await runAnalyzer(["tests/fixtures/bad/malformed.log", "--out", out], out);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /^error: tests\/fixtures\/bad\/malformed.log:5: Cannot parse line as JSON/,
    );
    const none = await runAnalyzer([], out);
    assert.equal(none.code, 1);
    assert.equal(
      none.stderr,
      "error: Cannot analyze as no logs are given: pass a run's directory (deno task analyze logs/run_X) or its *.log files\n",
    );
    const missing = await runAnalyzer(["logs/x.log", "--out", out], out);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      "error: Cannot read log file \"logs/x.log\": file not found\n  cause: No such file or directory (os error 2): stat 'logs/x.log'\n",
    );
    const usage = await runAnalyzer(["--frobnicate"], out);
    assert.equal(usage.code, 2);
    assert.equal(
      usage.stderr,
      "analyze_logs.ts: Cannot use --frobnicate: it is not a flag of analyze_logs.ts; see --help\n",
    );
    const typo = await runAnalyzer(["--lenint", "x"], out);
    assert.equal(typo.code, 2);
    assert.equal(
      typo.stderr,
      "analyze_logs.ts: Cannot use --lenint: it is not a flag of analyze_logs.ts (did you mean --lenient?); see --help\n",
    );
    assert.deepEqual([...Deno.readDirSync(out)], []);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("analyze_logs.ts refuses an --out it may not write, before analyzing", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const r = await runAnalyzer(["sample_logs/original_schema", "--out", `${out}/x`], `${out}/y`);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: Cannot write the outputs to "${out}/x": no write permission there (run with --allow-write=${out}/x, or pass --out with a directory inside the project)\n`,
    );
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("analyze_logs.ts exits 3 for an incomplete run with the reasons first, 0 with --allow-incomplete", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const r = await runAnalyzer(["tests/fixtures/unfinished", "--out", out, "--json"], out);
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stdout.split("\n");
    assert.equal(
      lines[0],
      "INCOMPLETE: the run could not be fully checked (exit 3; --allow-incomplete exits 0):",
    );
    assert.equal(
      lines[1],
      '  - machine 2 did not finish: "tests/fixtures/unfinished/machine_2.log" ends at t=1 s without END',
    );
    assert.match(lines[2], /^ {2}- 1 message\(s\) of unknown fate/);
    assert.match(r.stdout, /\nStatus: incomplete \(exit 3\)\n$/);
    const json = JSON.parse(Deno.readTextFileSync(`${out}/analysis_summary.json`));
    assert.deepEqual(
      [json.schema_version, json.status, json.complete, json.incomplete_reasons.length],
      [2, "incomplete", false, 2],
    );
    assert.equal(json.messages.fate_unknown, 1);
    const md = Deno.readTextFileSync(`${out}/analysis_summary.md`);
    assert.match(md, /^# Lamport clock analysis\n\n\*\*Status\*\*: \*\*INCOMPLETE\*\*/);
    const allowed = await runAnalyzer(
      ["tests/fixtures/unfinished", "--out", out, "--allow-incomplete"],
      out,
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /^INCOMPLETE: .*\(allowed by --allow-incomplete\):\n/);
    // --no-verify skips the checks, not the completeness: still 3.
    const unverified = await runAnalyzer(
      ["tests/fixtures/unfinished", "--out", out, "--no-verify"],
      out,
    );
    assert.equal(unverified.code, 3);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("analyze_logs.ts: a failed check (1) beats incomplete (3), also with --allow-incomplete", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const logs = [
      "tests/fixtures/conservation/machine_1.log",
      "tests/fixtures/conservation/machine_2.log",
    ];
    const r = await runAnalyzer([...logs, "--out", out, "--allow-incomplete"], out);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^INCOMPLETE: .*\(and a check failed: exit 1\):\n/);
    assert.match(r.stdout, /Check FAILED: Conservation/);
    assert.match(r.stdout, /\nStatus: failed \(exit 1\)\n$/);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("analyze_logs.ts --help documents exit code 3 and --allow-incomplete", async () => {
  const r = await runAnalyzer(["--help"], ".");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--allow-incomplete +exit 0 instead of 3/);
  assert.match(r.stdout, /\n {2}3 {2}incomplete: /);
  assert.match(r.stdout, /\n {2}1 {2}a check failed \(beats 3\)/);
});

Deno.test("analyze_logs.ts on a log cut mid-line (its END lost): exit 3, the cut named first", async () => {
  const out = Deno.makeTempDirSync();
  try {
    await withEditedRun(
      "tests/fixtures/run_small",
      { "machine_3.log": cutLastLine },
      async (dir) => {
        const r = await runAnalyzer([dir, "--out", out], out);
        assert.equal(r.code, 3, r.stderr);
        assert.match(
          r.stdout.split("\n")[1],
          /^ {2}- machine 3 did not finish: ".*machine_3\.log" ends at t=2 s without END \(its last line is cut: was the node killed\?\)$/,
        );
        assert.match(
          r.stderr,
          /machine_3\.log:10: truncated last line ignored \(was the node killed\?\)/,
        );
      },
    );
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

async function bare(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("analyze_logs.ts --help needs no permission (the PNG renderer is loaded only for a PNG)", async () => {
  const r = await bare(["--no-prompt", "analyze_logs.ts", "--help"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^Usage: deno task analyze \[options\] <log files or directories\.\.\.>/);
  assert.match(r.stdout, /--no-png +write the charts as SVG only/);
});

Deno.test("analyze_logs.ts --no-png analyzes without --allow-ffi; without it a PNG asks for the flags first", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const base = ["--no-prompt", "--allow-read", `--allow-write=${out}`, "analyze_logs.ts"];
    const svgOnly = await bare([...base, "tests/fixtures/run_small", "--out", out, "--no-png"]);
    assert.equal(svgOnly.code, 0, svgOnly.stderr);
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name).sort(), [
      "analysis_report.html",
      "analysis_spacetime.svg",
      "analysis_subplots.svg",
      "analysis_summary.md",
    ]);
    Deno.removeSync(out, { recursive: true });
    Deno.mkdirSync(out);
    const png = await bare([...base, "tests/fixtures/run_small", "--out", out]);
    assert.equal(png.code, 1);
    assert.equal(
      png.stderr,
      "error: Cannot draw the PNG charts as the PNG renderer is not permitted: run with --allow-ffi, --allow-read (Deno's npm cache) and --allow-sys=cpus,networkInterfaces,hostname, or pass --no-png\n",
    );
    assert.deepEqual([...Deno.readDirSync(out)], []); // refused before analyzing
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { parseExperimentArgs } from "../lib/cli/experiment_args.ts";
import { UsageError } from "../lib/cli/flag_values.ts";
import { trialSpecs } from "../lib/experiment/plan.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const parse = (args: string[]) => parseExperimentArgs(args, { randomSeed: () => 99, cores: 2 });

Deno.test("experiment args: the default is the assignment's protocol, 4 × 5 × 60 s, 3 machines", () => {
  const a = parse([]);
  assert.equal(a.plan.seed, 99);
  assert.equal(a.seedGiven, false);
  assert.equal(a.plan.trials, 5);
  assert.equal(a.plan.real, false);
  assert.equal(a.jobs, 2);
  const s = a.plan.scenarios.map((x) => ({
    name: x.name,
    rates: x.options.rateRange,
    die: x.options.dieSides,
    count: x.options.count,
    duration: x.options.duration,
    simulate: x.options.simulate,
  }));
  assert.deepEqual(s, [
    { name: "baseline", rates: [1, 6], die: 10, count: 3, duration: 60, simulate: true },
    { name: "narrow-rates", rates: [3, 4], die: 10, count: 3, duration: 60, simulate: true },
    { name: "fewer-internal", rates: [1, 6], die: 4, count: 3, duration: 60, simulate: true },
    { name: "both", rates: [3, 4], die: 4, count: 3, duration: 60, simulate: true },
  ]);
  // Trial k of every scenario runs with the same seed; trials differ from each other.
  const specs = trialSpecs(a.plan);
  assert.equal(specs.length, 20);
  assert.deepEqual(
    specs.filter((x) => x.trial === 2).map((x) => x.seed),
    Array(4).fill(specs[1].seed),
  );
  assert.equal(new Set(specs.map((x) => x.seed)).size, 5);
  assert.equal(specs[6].dir, "narrow-rates/trial_2");
});

Deno.test("experiment args: --scenario sets run flags validated by run_machine's parser", () => {
  const a = parse([
    "--scenario",
    "fixed:rate=2.5,count=4,delay-min=0,delay-max=20",
    "--scenario=slow:rate-min=1,rate-max=2,die-sides=6",
    "--scenario",
    "plain",
    "--duration",
    "30",
    "--trials",
    "12",
  ]);
  const [fixed, slow, plain] = a.plan.scenarios;
  assert.deepEqual(
    [fixed.options.rate, fixed.options.count, fixed.options.delayMs, fixed.options.duration],
    [2.5, 4, [0, 20], 30],
  );
  assert.deepEqual(fixed.flags, { rate: "2.5", count: "4", "delay-min": "0", "delay-max": "20" });
  assert.deepEqual([slow.options.rateRange, slow.options.dieSides], [[1, 2], 6]);
  assert.deepEqual([plain.flags, plain.options.rateRange], [{}, [1, 6]]);
  assert.equal(trialSpecs(a.plan)[9].dir, "fixed/trial_10"); // padded to sort: trial_01..trial_12
});

Deno.test("experiment args: --sweep makes one scenario per value, of the baseline or of each --scenario", () => {
  const a = parse(["--sweep", "count=2..8:3"]);
  assert.deepEqual(a.plan.sweep, { flag: "count", values: [2, 5, 8] });
  assert.deepEqual(
    a.plan.scenarios.map((s) => [s.name, s.dir, s.options.count, s.sweepValue, s.sweepBase]),
    [["count=2", "count_2", 2, 2, "baseline"], ["count=5", "count_5", 5, 5, "baseline"], [
      "count=8",
      "count_8",
      8,
      8,
      "baseline",
    ]],
  );
  const b = parse(["--sweep", "die-sides=4..6", "--scenario", "a", "--scenario", "b:rate=3"]);
  assert.deepEqual(b.plan.scenarios.map((s) => s.name), [
    "a die-sides=4",
    "a die-sides=5",
    "a die-sides=6",
    "b die-sides=4",
    "b die-sides=5",
    "b die-sides=6",
  ]);
  assert.equal(b.plan.scenarios[4].dir, "b/die-sides_5");
  assert.deepEqual(parse(["--sweep", "rate=0.1..0.3:0.1"]).plan.sweep!.values, [0.1, 0.2, 0.3]);
});

const BAD: [string[], RegExp][] = [
  [
    ["--trials", "0"],
    /^Cannot use --trials as it must be an integer 1\.\.1000: current value is 0$/,
  ],
  [
    ["--duration", "0"],
    /^Cannot use --duration as it must be a number > 0 and <= 1000000: current value is 0$/,
  ],
  [
    ["--count", "101"],
    /^Cannot use --count as it must be an integer 1\.\.100: current value is 101$/,
  ],
  [["--jobs", "x"], /^Cannot use --jobs as it must be an integer 1\.\.64: current value is "x"$/],
  [
    ["--seed", "-1"],
    /^Cannot use --seed as it must be an integer 0\.\.4294967295: current value is -1$/,
  ],
  [
    ["--seed=-1"],
    /^Cannot use --seed as it must be an integer 0\.\.4294967295: current value is -1$/,
  ],
  [["--real=yes"], /^Cannot use --real=yes: --real takes no value \(want --real\)$/],
  [["--trials"], /^Cannot use --trials: its value is missing \(want --trials N\)$/],
  [
    ["--bogus"],
    /^Cannot use --bogus: it is not a flag of experiment\.ts$/,
  ],
  [
    ["--trails", "3"],
    /^Cannot use --trails: it is not a flag of experiment\.ts \(did you mean --trials\?\)$/,
  ],
  [["extra"], /^Cannot use argument "extra": experiment\.ts takes flags only/],
  [["--trials", "3", "--trials", "4"], /^Cannot use --trials twice/],
  [["--out", ""], /^Cannot use --out as it must be a non-empty directory: current value is ""$/],
  [
    ["--base-port", "6000"],
    /^Cannot use --base-port without --real: current value is 6000 \(simulated/,
  ],
  [["--scenario", "bad name"], /^Cannot use --scenario "bad name": current name is "bad name"/],
  [
    ["--scenario", "x:speed=3"],
    /^Cannot use --scenario "x:speed=3": current flag is "speed" \(want one of count, duration, rate, rate-min/,
  ],
  [["--scenario", "x:rate="], /^Cannot use --scenario "x:rate=": current value of rate is missing/],
  [
    ["--scenario", "x:rate-max=x"],
    /^Cannot use --scenario "x:rate-max=x": cannot use --rate-max as it must be an integer 1\.\.1000000: current value is "x"$/,
  ],
  [
    ["--scenario", "x:rate-min=5,rate-max=4"],
    /^Cannot use --scenario "x:rate-min=5,rate-max=4": cannot use --rate-max as it must be >= --rate-min \(5\): current value is 4$/,
  ],
  [
    ["--scenario", "x:die-sides=2"],
    /^Cannot use --scenario "x:die-sides=2": cannot use --die-sides as it must be an integer >= 3: current value is 2$/,
  ],
  [
    ["--scenario", "a", "--scenario", "a:rate=2"],
    /^Cannot use --scenario "a:rate=2": current name "a" is used twice/,
  ],
  [
    ["--sweep", "count=8..2"],
    /^Cannot use --sweep "count=8..2": current end 2 is below the start 8/,
  ],
  [
    ["--sweep", "count=2-8"],
    /^Cannot use --sweep "count=2-8": current value is not flag=a\.\.b\[:step\]/,
  ],
  [["--sweep", "speed=1..2"], /^Cannot use --sweep "speed=1..2": current flag is "speed"/],
  [
    ["--sweep", "count=1..5:0"],
    /^Cannot use --sweep "count=1..5:0": current step is 0 \(want > 0\)$/,
  ],
  [
    ["--sweep", "rate-min=1..8"],
    /^Cannot use --sweep "rate-min=1..8" at rate-min=7: cannot use --rate-max as it must be >= --rate-min \(7\): current value is 6$/,
  ],
  [
    ["--sweep", "count=2..4", "--scenario", "x:count=3"],
    /^Cannot use --sweep "count=2..4": current scenario "x" sets count too/,
  ],
  [
    ["--real", "--scenario", "x:delay-max=9"],
    /^Cannot use --scenario "x:delay-max=9" with --real: current flags set delay-max/,
  ],
  [
    ["--real", "--base-port", "65000", "--jobs", "10", "--count", "64"],
    /^Cannot use --base-port 65000 with --jobs 10: current last port would be 65639/,
  ],
  [
    ["--sweep", "count=1..2000"],
    /^Cannot use --sweep "count=1..2000": current range has 2000 values \(want at most 1000\)$/,
  ],
  [
    ["--trials", "1000", "--sweep", "count=1..11"],
    /^Cannot use --trials 1000 as an experiment must have at most 10000 runs: current experiment has 11 scenarios × 1000 trials = 11000 runs$/,
  ],
];

Deno.test("experiment args: every bad flag is one UsageError naming the flag and the wanted value", () => {
  for (const [args, message] of BAD) {
    assert.throws(() => parse(args), (err: unknown) => {
      assert.ok(err instanceof UsageError, `${args.join(" ")}: ${err}`);
      assert.match(err.message, message, args.join(" "));
      assert.ok(!err.message.includes("\n"), `one line: ${err.message}`);
      return true;
    });
  }
});

async function cli(args: string[], flags: string[] = []) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...flags, "experiment.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("experiment.ts: bad flags exit 2 with one line on stderr that says see --help", async () => {
  const runs = await Promise.all([
    cli(["--trials", "0"]),
    cli(["--scenario", "x:rate-max=x"]),
    cli(["--nope"]),
  ]);
  assert.deepEqual(runs.map((r) => r.code), [2, 2, 2]);
  for (const r of runs) {
    assert.equal(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^experiment\.ts: Cannot use --\w+.*; see --help$/);
  }
  assert.match(
    runs[0].stderr,
    /--trials as it must be an integer 1\.\.1000: current value is 0; see --help/,
  );
});

Deno.test("experiment.ts: --help exits 0; --real without run permission and an --out outside the grant exit 2", async () => {
  const read = ["--allow-read=lib,logs"];
  const [help, real, out] = await Promise.all([
    cli(["--help"]),
    cli(["--real", "--trials", "1"], [...read, "--allow-write=logs"]),
    cli(["--out", "/tmp/nope", "--trials", "1"], [...read, "--allow-write=logs"]),
  ]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: deno task experiment/);
  assert.match(help.stdout, /--sweep SPEC/);
  assert.equal(real.code, 2, real.stderr);
  assert.match(
    real.stderr,
    /Cannot use --real: .*deno task experiment:real, which adds --allow-run=deno/,
  );
  assert.equal(out.code, 2, out.stderr);
  assert.match(
    out.stderr,
    /Cannot write the experiment to "\/tmp\/nope": .*pass --out logs\/<name>/,
  );
});

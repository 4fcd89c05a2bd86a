import assert from "node:assert/strict";
import {
  analyzeCommandLine,
  detectLauncher,
  machineProgram,
  nodeArgs,
} from "../lib/cluster/command.ts";
import { ClusterUsageError, parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { connectHost, planNodes } from "../lib/cluster/plan.ts";
import { formatNodeLine, ProgressDisplay } from "../lib/cluster/progress.ts";
import { createRunDir, runDirName } from "../lib/cluster/run_dir.ts";
import { parseRunArgs } from "./support/machine_args.ts";
import { deriveSeed } from "../lib/core/prng.ts";

Deno.test("parseClusterArgs: defaults are the original's (3 nodes, ports 5001.., 60 s)", () => {
  const o = parseClusterArgs([], { randomSeed: () => 77 });
  assert.equal(o.count, 3);
  assert.equal(o.basePort, 5001);
  assert.equal(o.duration, 60);
  assert.equal(o.logsDir, undefined);
  assert.equal(o.seed, 77);
  assert.equal(o.seedGiven, false);
  assert.deepEqual(o.rateRange, [1, 6]);
  assert.equal(o.dieSides, 10);
  assert.equal(o.bind, "127.0.0.1");
  assert.equal(o.simulate, false);
});

Deno.test("parseClusterArgs: --logs_dir and --logs-dir both work; conflicting values are refused", () => {
  assert.equal(parseClusterArgs(["--logs_dir", "x"]).logsDir, "x");
  assert.equal(parseClusterArgs(["--logs-dir", "y", "--duration", "8.5"]).logsDir, "y");
  assert.equal(parseClusterArgs(["--duration", "8.5"]).duration, 8.5);
  assert.throws(
    () => parseClusterArgs(["--logs_dir", "a", "--logs-dir", "b"]),
    /Cannot use both --logs_dir and --logs-dir/,
  );
});

Deno.test("parseClusterArgs: bad values name the flag and the current value", () => {
  const cases: [string[], RegExp][] = [
    [
      ["--count", "0"],
      /^Cannot use --count as it must be an integer 1\.\.128, .*: current value is 0$/,
    ],
    [
      ["--duration", "abc"],
      /^Cannot use --duration as it must be a number 0\.\.1000000: current value is "abc"$/,
    ],
    [
      ["--duration", "-1"],
      /^Cannot use --duration as it must be a number 0\.\.1000000: current value is -1$/,
    ],
    [["--base-port", "65535", "--count", "3"], /current last port is 65537$/],
    [
      ["--rate-min", "5", "--rate-max", "2"],
      /^Cannot use --rate-max as it must be >= --rate-min \(5\): current value is 2$/,
    ],
    [
      ["--delay-min", "9", "--delay-max", "1"],
      /^Cannot use --delay-max as it must be >= --delay-min \(9\): current value is 1$/,
    ],
    [["--start-at", "5"], /^Cannot use --start-at without --simulate: current value is 5/],
    [
      ["--rate", "0"],
      /^Cannot use --rate as it must be a number > 0 and <= 1000000: current value is 0$/,
    ],
    [
      ["--bind", "a b"],
      /^Cannot use --bind as it must be a host name or IP address: current value is "a b"$/,
    ],
    [["--bogus"], /^Cannot use --bogus: it is not a flag of run_machine\.ts/],
    [["--logs-dir"], /^Cannot use --logs-dir: its value is missing \(want --logs-dir DIR\)$/],
    [
      ["--logs-dir", ""],
      /^Cannot use --logs-dir as it must be a non-empty directory: current value is ""$/,
    ],
  ];
  for (const [args, re] of cases) {
    assert.throws(
      () => parseClusterArgs(args),
      (e: Error) => e instanceof ClusterUsageError && re.test(e.message),
    );
  }
});

Deno.test("planNodes: full mesh on consecutive ports, seeds derived from the run seed", () => {
  const plan = planNodes("d", { count: 3, basePort: 6000, bind: "0.0.0.0", seed: 4 });
  assert.deepEqual(plan.map((n) => n.port), [6000, 6001, 6002]);
  assert.deepEqual(plan[1].peers, [
    { host: "127.0.0.1", port: 6000, id: 1 },
    { host: "127.0.0.1", port: 6002, id: 3 },
  ]);
  assert.deepEqual(plan.map((n) => n.seed), [0, 1, 2].map((i) => deriveSeed(4, i)));
  assert.equal(new Set(plan.map((n) => n.seed)).size, 3);
  assert.equal(connectHost("::"), "::1");
  assert.equal(connectHost("[::1]"), "::1");
});

Deno.test("nodeArgs: what run_machine passes is what machine.ts accepts", () => {
  const [node] = planNodes("logs/r", { count: 2, basePort: 5001, bind: "::1", seed: 1 });
  const options = parseClusterArgs(["--rate", "7", "--die-sides", "4", "--duration", "2.5"]);
  const parsed = parseRunArgs(nodeArgs(node, { ...options, bind: "::1" }));
  assert.equal(parsed.control, true);
  assert.equal(parsed.node.id, 1);
  assert.equal(parsed.node.port, 5001);
  assert.deepEqual(parsed.node.peers, [{ host: "::1", port: 5002, id: 2 }]);
  assert.equal(parsed.node.log, "logs/r/machine_1.log");
  assert.equal(parsed.node.duration, 2.5);
  assert.equal(parsed.node.rate, 7);
  assert.equal(parsed.node.dieSides, 4);
  assert.equal(parsed.node.seed, node.seed);
  assert.equal(parsed.node.drainMs, 300, "the node's default when run_machine gives none");
  assert.equal(parsed.node.holdLinks, true);
  const drained = parseRunArgs(nodeArgs(node, { ...options, bind: "::1", drainMs: 940 }));
  assert.equal(drained.node.drainMs, 940);
});

Deno.test("launcher: deno runs machine.ts with least-privilege flags; a compiled binary runs its sibling", () => {
  const dev = detectLauncher({ execPath: "/usr/bin/deno" });
  const p = machineProgram(dev, { dir: "logs/r", hosts: ["::1", "::1"] });
  assert.equal(p.exec, "/usr/bin/deno");
  assert.deepEqual(p.args.slice(0, 5), [
    "run",
    "--no-prompt",
    "--allow-net=[::1]",
    "--allow-read=logs/r",
    "--allow-write=logs/r",
  ]);
  assert.ok(p.args[5].endsWith("/machine.ts"));
  assert.ok(!p.args.some((a) => a === "-A" || a === "--allow-all"));
  const bin = detectLauncher({ execPath: "/opt/lab/run_machine" });
  assert.equal(bin.mode, "compiled");
  assert.deepEqual(machineProgram(bin, { dir: "x", hosts: [] }), {
    exec: "/opt/lab/machine",
    args: [],
  });
  assert.equal(analyzeCommandLine(bin, "logs/a b"), "/opt/lab/analyze_logs 'logs/a b'");
  const inProject = { cwd: "/lab", root: "/lab" };
  assert.equal(analyzeCommandLine(dev, "logs/r", inProject), "deno task analyze logs/r");
  assert.match(
    analyzeCommandLine(dev, "../r", inProject),
    /^deno run --allow-read --allow-write=\.\.\/r .*analyze_logs\.ts \.\.\/r$/,
  );
  assert.match(
    analyzeCommandLine(dev, "logs/r", { cwd: "/home", root: "/lab" }),
    /^deno run .* \/lab\/analyze_logs\.ts logs\/r$/,
  );
});

Deno.test("createRunDir: two runs in the same second get distinct directories", () => {
  const root = Deno.makeTempDirSync();
  const now = new Date(2025, 2, 5, 15, 30, 1);
  assert.equal(runDirName(now), "run_2025-03-05_15-30-01");
  const a = createRunDir(`${root}/logs`, { now });
  const b = createRunDir(`${root}/logs`, { now });
  const c = createRunDir(`${root}/logs`, { now });
  assert.deepEqual([a, b, c], [
    `${root}/logs/run_2025-03-05_15-30-01`,
    `${root}/logs/run_2025-03-05_15-30-01_2`,
    `${root}/logs/run_2025-03-05_15-30-01_3`,
  ]);
  for (const d of [a, b, c]) assert.ok(Deno.statSync(d).isDirectory);
  Deno.writeTextFileSync(`${root}/file`, "");
  assert.throws(
    () => createRunDir(`${root}/file`),
    /Cannot create log directory ".*\/file": (it already exists|a parent is not a directory)/,
  );
  Deno.removeSync(root, { recursive: true });
});

Deno.test("progress: a terminal gets one live line per node with its rate; piped, one summary line with the run's duration", () => {
  const nodes = [
    {
      id: 1,
      phase: "running" as const,
      rate: 4,
      status: { clock: 4, queue: 1, events: 3, links_up: 2, links: 2 },
    },
    { id: 2, phase: "linked" as const, rate: null, status: null },
  ];
  assert.equal(
    formatNodeLine(nodes[0]),
    "node 1  running   rate 4/s  clock 4  queue 1  events 3  links 2/2",
  );
  const tty: string[] = [];
  let now = 1000;
  const live = new ProgressDisplay(() => nodes, {
    tty: true,
    duration: 60,
    write: (t) => tty.push(t),
    now: () => now,
  });
  live.start(1000);
  live.draw();
  now = 13_500;
  live.draw();
  assert.ok(!tty[0].includes("\x1b[2A"));
  assert.ok(tty[1].startsWith("\x1b[2A"), JSON.stringify(tty[1]));
  assert.ok(tty[1].includes("[ 12.5/60 s] node 1  running   rate 4/s"), JSON.stringify(tty[1]));
  // Piped (CI, a log file): 8 nodes are one line per draw, never 8.
  const plain: string[] = [];
  const eight = Array.from({ length: 8 }, (_, i) => ({ ...nodes[0], id: i + 1, rate: i + 1 }));
  const piped = new ProgressDisplay(() => eight, {
    tty: false,
    duration: 600,
    write: (t) => plain.push(t),
    now: () => 4000,
  });
  piped.start(0);
  piped.draw();
  piped.draw();
  assert.deepEqual(plain, [
    "[  4.0/600 s] 8 nodes (8 running)  rates 1..8/s  clocks 4  events 24  queued 8  links 16/16\n",
    "[  4.0/600 s] 8 nodes (8 running)  rates 1..8/s  clocks 4  events 24  queued 8  links 16/16\n",
  ]);
  // A terminal with fewer rows than nodes gets one live summary line, redrawn in place.
  const small: string[] = [];
  const many = Array.from({ length: 10 }, (_, i) => ({ ...nodes[0], id: i + 1 }));
  const d = new ProgressDisplay(() => many, {
    tty: true,
    duration: 60,
    rows: 6,
    write: (t) => small.push(t),
    now: () => 0,
  });
  d.draw();
  d.draw();
  assert.equal(small[0].split("\n").length - 1, 1);
  assert.ok(small[1].startsWith("\x1b[1A") && small[1].includes("10 nodes (10 running)"));
});

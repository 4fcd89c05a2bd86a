import assert from "node:assert/strict";
import { accountMessages, readLog } from "./support/log_check.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { runCluster } from "../lib/cluster/run.ts";
import { freeRange } from "./support/ports.ts";

const RUN_MACHINE = new URL("../run_machine.ts", import.meta.url).pathname;

function flags(dir: string): string[] {
  return [
    "run",
    "--allow-run",
    "--allow-read",
    `--allow-write=${dir}`,
    "--allow-net=127.0.0.1",
    RUN_MACHINE,
  ];
}

/** Live processes whose command line mentions `needle` (from `ps`). */
function processesMentioning(needle: string): string[] {
  const out = new Deno.Command("ps", { args: ["-eo", "pid=,args="], stdout: "piped" }).outputSync();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) =>
    l.includes(needle) && !/\bps -eo\b/.test(l)
  );
}

function spawnRun(dir: string, args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: [...flags(dir), "--logs-dir", `${dir}/run`, "--quiet", ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function collect(child: Deno.ChildProcess) {
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function logsOf(dir: string, n: number) {
  return Array.from({ length: n }, (_, i) => readLog(`${dir}/run/machine_${i + 1}.log`));
}

Deno.test("run_machine: 3 real nodes for 2 s end together, every message accounted, no process left", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "cluster_run_" });
  const base = freeRange(3);
  const t0 = performance.now();
  const res = await collect(
    spawnRun(dir, ["--duration", "2", "--rate", "20", "--seed", "11", "--base-port", `${base}`]),
  );
  const wall = (performance.now() - t0) / 1000;
  assert.equal(res.code, 0, res.stderr);
  assert.ok(wall <= 2 + 3, `wall ${wall.toFixed(2)} s for a 2 s run`);
  assert.match(res.stdout, /^Run finished\.\n/);
  assert.match(
    res.stdout,
    /\nAnalyze: deno run --allow-read --allow-write=.*analyze_logs\.ts .*\/run\n$/,
  );
  assert.ok(res.stdout.includes(`analyze_logs.ts ${dir}/run`), res.stdout);
  const logs = logsOf(dir, 3);
  for (const log of logs) {
    assert.equal(log[0].event, "STARTUP");
    assert.equal(log.at(-1)!.event, "END");
    const ticks = log.filter((e) => ["SEND", "RECEIVE", "INTERNAL"].includes(e.event)).length;
    assert.ok(ticks >= 38 && ticks <= 41, `ticks at 20/s for 2 s: ${ticks}`);
  }
  // Barrier: every node's first tick comes after all nodes are listening and linked.
  const firstTicks = logs.map((l) => l.find((e) => e.event !== "STARTUP" && e.event !== "LINK_UP"));
  const lastLinkUp = Math.max(
    ...logs.flat().filter((e) => e.event === "LINK_UP").map((e) => e.system_time),
  );
  for (const e of firstTicks) {
    assert.ok(e!.system_time >= lastLinkUp, `tick before links up: ${e!.event}`);
  }
  const acc = accountMessages(logs);
  assert.ok(acc.sent > 10, `sent ${acc.sent}`);
  assert.deepEqual(acc.unaccounted, []);
  assert.deepEqual(acc.clockViolations, []);
  assert.equal(acc.orphans, 0);
  assert.deepEqual(processesMentioning(dir), []);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("run_machine: SIGINT mid-run stops every node with END, exit 130, no process left", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "cluster_sigint_" });
  const base = freeRange(3);
  const child = spawnRun(dir, ["--duration", "30", "--rate", "10", "--base-port", `${base}`]);
  const logPath = `${dir}/run/machine_3.log`;
  for (let i = 0; i < 100; i++) { // wait until the nodes tick
    await new Promise((r) => setTimeout(r, 100));
    try {
      if (Deno.readTextFileSync(logPath).includes('"INTERNAL"')) break;
    } catch { /* not there yet */ }
  }
  const t0 = performance.now();
  try {
    child.kill("SIGINT");
  } catch (err) {
    const early = await collect(child);
    throw new Error(`run_machine ended before SIGINT (code ${early.code}): ${early.stderr}`, {
      cause: err,
    });
  }
  const res = await collect(child);
  assert.ok(performance.now() - t0 < 3000, "stopped within the grace period");
  assert.equal(res.code, 130, res.stderr);
  assert.match(res.stderr, /interrupted by SIGINT/);
  for (const log of logsOf(dir, 3)) {
    assert.equal(log[0].event, "STARTUP");
    assert.equal(log.at(-1)!.event, "END");
  }
  assert.deepEqual(accountMessages(logsOf(dir, 3)).unaccounted, []);
  assert.deepEqual(processesMentioning(dir), []);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("run_machine: a taken port fails fast naming the port, leaves no run directory, names the nodes that never started", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "cluster_port_" });
  const base = freeRange(3);
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: base + 1 });
  try {
    const t0 = performance.now();
    const res = await collect(spawnRun(dir, ["--duration", "30", "--base-port", `${base}`]));
    assert.ok(performance.now() - t0 < 8000, "failed fast");
    assert.equal(res.code, 1);
    const report = res.stderr.trimEnd().split("\n");
    assert.equal(report[0], "Run failed before the common start: no node ticked.");
    assert.match(
      report[1],
      new RegExp(`^Error: node 2 exited with code 1: .*${base + 1}.*address already in use$`),
    );
    assert.equal(report[2], `  node 1  port ${base}  never started (stopped: the run failed)`);
    assert.match(
      report[3],
      new RegExp(`^  node 2  port ${base + 1}  never started: node 2 exited with code 1: `),
    );
    assert.equal(report[4], `  node 3  port ${base + 2}  never started (stopped: the run failed)`);
    assert.equal(report.at(-1), `Logs: none kept (removed "${dir}/run")`);
    assert.ok(!res.stderr.includes("Analyze:"));
    // The run created dir/run: nothing of it is left (nodes 1 and 3 had written STARTUP..END).
    assert.throws(() => Deno.statSync(`${dir}/run`), Deno.errors.NotFound);
    assert.deepEqual(processesMentioning(dir), []);
    // A directory the run did not create keeps everything but what the run wrote.
    Deno.mkdirSync(`${dir}/mine`);
    Deno.writeTextFileSync(`${dir}/mine/notes.txt`, "keep");
    const again = await collect(
      new Deno.Command(Deno.execPath(), {
        args: [...flags(dir), "--logs-dir", `${dir}/mine`, "--quiet", "--base-port", `${base}`],
        stdout: "piped",
        stderr: "piped",
      }).spawn(),
    );
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /Logs: none kept \(removed machine_1\.log, machine_3\.log from ".*\/mine"\)/,
    );
    assert.deepEqual([...Deno.readDirSync(`${dir}/mine`)].map((e) => e.name), ["notes.txt"]);
  } finally {
    blocker.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("deno task run --logs-dir outside logs/ gives the exact deno run command that works", async () => {
  const out = Deno.makeTempDirSync({ prefix: "cluster_perm_" });
  const root = new URL("../", import.meta.url).pathname;
  const task = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-run=deno",
        "--allow-read=logs",
        "--allow-write=logs",
        "run_machine.ts",
        ...args,
      ],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
  try {
    const args = ["--logs-dir", `${out}/run`, "--simulate", "--duration", "1", "--quiet"];
    const refused = await task(args);
    const stderr = new TextDecoder().decode(refused.stderr);
    assert.equal(refused.code, 2, stderr);
    const [line, command] = stderr.trimEnd().split("\n");
    assert.equal(
      line,
      `run_machine.ts: Cannot keep the logs in "${out}/run" as this process may not read and ` +
        `write there (deno task run allows logs/ only): run instead`,
    );
    assert.equal(
      command,
      `  deno run --allow-run=deno --allow-read=logs,${out}/run --allow-write=logs,${out}/run ` +
        `run_machine.ts ${args.join(" ")}`,
    );
    // Ready to copy: that command, as printed, runs.
    const words = command.trim().split(" ");
    const ran = await new Deno.Command(Deno.execPath(), {
      args: words.slice(1),
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(ran.code, 0, new TextDecoder().decode(ran.stderr));
    assert.ok(Deno.statSync(`${out}/run/machine_3.log`).isFile);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("run_machine in compiled mode starts the `machine` executable beside it", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "cluster_bin_" });
  const machine = new URL("../machine.ts", import.meta.url).pathname;
  // Stand-in for the compiled node binary: an executable named `machine` in the same directory.
  Deno.mkdirSync(`${dir}/bin`);
  Deno.mkdirSync(`${dir}/run`);
  Deno.writeTextFileSync(
    `${dir}/bin/machine`,
    `#!/bin/sh\nexec "${Deno.execPath()}" run --allow-net=127.0.0.1 --allow-read="${dir}" --allow-write="${dir}" "${machine}" "$@"\n`,
    { mode: 0o755 },
  );
  const base = freeRange(3);
  const options = parseClusterArgs([
    "--count",
    "2",
    "--duration",
    "1",
    "--rate",
    "10",
    "--base-port",
    `${base}`,
  ]);
  const result = await runCluster(options, {
    dir: `${dir}/run`,
    launcher: { mode: "compiled", execPath: `${dir}/bin/run_machine` },
    progress: "none",
    handleSignals: false,
  });
  assert.equal(result.ok, true, result.error ?? "");
  const logs = logsOf(dir, 2);
  for (const log of logs) assert.equal(log.at(-1)!.event, "END");
  assert.deepEqual(accountMessages(logs).unaccounted, []);
  assert.deepEqual(processesMentioning(dir), []);
  Deno.removeSync(dir, { recursive: true });
});

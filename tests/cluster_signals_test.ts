/**
 * Signals on a real local cluster: Ctrl-C and SIGTERM to `deno task run`'s process group (as a
 * terminal sends them), a deliberate second Ctrl-C, SIGKILL of run_machine and of a node; and
 * what the analyzer says about the logs each leaves behind.
 */
import assert from "node:assert/strict";
import { runAnalyzer } from "./support/analyzer.ts";
import { readLog } from "./support/log_check.ts";
import { freeRange } from "./support/ports.ts";
import { ECHO_WINDOW_MS, SignalGate } from "../lib/cluster/signal_gate.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

/** A fresh run directory under the project's logs/ (the `run` task may write only there). */
function runDir(name: string): string {
  return `logs/test_${name}_${crypto.randomUUID().slice(0, 8)}`;
}

/** `deno task run` in a new session (its own process group, like a terminal job). */
function taskRun(dir: string, args: string[]) {
  return new Deno.Command("setsid", {
    args: [Deno.execPath(), "task", "run", "--logs-dir", dir, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** run_machine.ts itself (no `deno task`). */
function runMachine(dir: string, args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-run=deno",
      "--allow-read=logs",
      "--allow-write=logs",
      "run_machine.ts",
      "--logs-dir",
      dir,
      "--quiet",
      ...args,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function collect(child: Deno.ChildProcess) {
  const out = await child.output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Waits (bounded) until every node of `dir` has ticked. */
async function untilTicking(dir: string, n: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const logs = Array.from(
        { length: n },
        (_, k) => Deno.readTextFileSync(`${ROOT}${dir}/machine_${k + 1}.log`),
      );
      if (logs.every((l) => /"(INTERNAL|SEND|RECEIVE)"/.test(l))) return;
    } catch { /* not there yet */ }
  }
  throw new Error(`the nodes of ${dir} did not start ticking within 15 s`);
}

/** Node processes of a run directory: pid by machine id (from `ps`). */
function nodePids(dir: string): Map<number, number> {
  const out = new Deno.Command("ps", { args: ["-eo", "pid=,args="], stdout: "piped" })
    .outputSync();
  const pids = new Map<number, number>();
  for (const line of dec.decode(out.stdout).split("\n")) {
    const m = line.match(/^\s*(\d+) .*machine\.ts .*--log (\S+)\/machine_(\d+)\.log/);
    if (m && m[2].endsWith(dir)) pids.set(Number(m[3]), Number(m[1]));
  }
  return pids;
}

/** Waits (bounded) until no node of `dir` is left. */
async function untilNoNodes(dir: string): Promise<void> {
  for (let i = 0; i < 100 && nodePids(dir).size > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual([...nodePids(dir).keys()], [], "node processes left");
}

function lastEvents(dir: string, n: number): string[] {
  return Array.from(
    { length: n },
    (_, k) => readLog(`${ROOT}${dir}/machine_${k + 1}.log`).at(-1)!.event,
  );
}

/** "reason/detail" of each log's END (the last line must be END). */
function endReasons(dir: string, n: number): string[] {
  return Array.from({ length: n }, (_, k) => {
    const e = readLog(`${ROOT}${dir}/machine_${k + 1}.log`).at(-1)!;
    if (e.event !== "END") throw new Error(`machine_${k + 1}.log does not end with END`);
    return `${e.reason}/${e.detail}`;
  });
}

function analyze(dir: string) {
  return runAnalyzer([dir], dir, { cwd: ROOT });
}

async function inRun(name: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = runDir(name);
  try {
    await fn(dir);
  } finally {
    for (const pid of nodePids(dir).values()) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
    Deno.removeSync(`${ROOT}${dir}`, { recursive: true });
  }
}

Deno.test("SignalGate: signals within 1 s of the first are the same one; a later one is a second", () => {
  let now = 1000;
  const gate = new SignalGate({ now: () => now });
  assert.equal(ECHO_WINDOW_MS, 1000);
  assert.equal(gate.accept(), "first");
  for (const t of [1000, 1002, 1999]) {
    now = t;
    assert.equal(gate.accept(), "echo", `at +${t - 1000} ms`);
  }
  now = 2000;
  assert.equal(gate.accept(), "again");
  now = 9000;
  assert.equal(gate.accept(), "again");
});

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`deno task run: ${signal} to its process group (as a terminal sends it), twice within 30 ms, gives END in every log, exit ${code}, no prompt`, async () => {
    await inRun(signal, async (dir) => {
      const base = freeRange(3);
      const child = taskRun(dir, ["--duration", "30", "--rate", "10", "--base-port", `${base}`]);
      await untilTicking(dir, 3);
      const t0 = performance.now();
      // deno task forwards each signal: run_machine sees every one of them (up to) twice.
      Deno.kill(-child.pid, signal);
      await new Promise((r) => setTimeout(r, 30));
      try {
        Deno.kill(-child.pid, signal);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err; // all done within 30 ms
      }
      const res = await collect(child);
      assert.ok(performance.now() - t0 < 3000, "stopped within the grace period");
      assert.equal(res.code, code, res.stderr);
      assert.match(res.stdout + res.stderr, new RegExp(`Run interrupted by ${signal}\\.`));
      assert.doesNotMatch(res.stdout + res.stderr, /again: killing|killed by SIGKILL|Allow\?|⚠️/);
      assert.deepEqual(
        endReasons(dir, 3),
        new Array(3).fill(`stopped/parent: interrupted by ${signal}`),
      );
      await untilNoNodes(dir);
      const a = await analyze(dir);
      assert.equal(a.code, 0, a.stdout + a.stderr);
    });
  });
}

Deno.test("deno task run: a deliberate second Ctrl-C kills the nodes still running; the analyzer names each (exit 3)", async () => {
  await inRun("twice", async (dir) => {
    const base = freeRange(3);
    const child = taskRun(dir, [
      "--duration",
      "30",
      "--rate",
      "10",
      "--grace",
      "30",
      "--base-port",
      `${base}`,
    ]);
    await untilTicking(dir, 3);
    // Frozen nodes cannot stop by themselves: only the second Ctrl-C ends the run.
    const pids = nodePids(dir);
    assert.equal(pids.size, 3);
    for (const pid of pids.values()) Deno.kill(pid, "SIGSTOP");
    Deno.kill(-child.pid, "SIGINT");
    await new Promise((r) => setTimeout(r, 1300));
    const t0 = performance.now();
    Deno.kill(-child.pid, "SIGINT");
    const res = await collect(child);
    assert.ok(performance.now() - t0 < 3000, "the second Ctrl-C does not wait for --grace");
    assert.equal(res.code, 130, res.stderr);
    const text = res.stdout + res.stderr;
    assert.match(text, /SIGINT: stopping 3 node\(s\); each writes END/);
    assert.match(
      text,
      /SIGINT again: killing the 3 node\(s\) still running \(their logs get no END\)/,
    );
    assert.match(text, /node 2 .*was killed by SIGKILL/);
    await untilNoNodes(dir);
    const a = await analyze(dir);
    assert.equal(a.code, 3, a.stdout + a.stderr);
    const reasons = a.stdout.split("\n").slice(0, 4);
    assert.match(reasons[0], /^INCOMPLETE: the run could not be fully checked/);
    for (let id = 1; id <= 3; id++) {
      assert.match(
        reasons[id],
        new RegExp(
          `^  - machine ${id} did not finish: ".*machine_${id}\\.log" ends at t=[\\d.]+ s without END`,
        ),
      );
    }
  });
});

Deno.test("run_machine SIGKILLed mid-run: every node still ends its log with END and exits", async () => {
  await inRun("sigkill", async (dir) => {
    const base = freeRange(6);
    const args = ["--count", "6", "--duration", "30", "--rate", "50", "--base-port", `${base}`];
    const child = runMachine(dir, args);
    await untilTicking(dir, 6);
    // A frozen peer does not acknowledge: the others drain for their whole --drain-ms (300 ms),
    // long enough for a status line (every 250 ms) to hit the dead parent's pipe.
    const frozen = nodePids(dir).get(1)!;
    Deno.kill(frozen, "SIGSTOP");
    child.kill("SIGKILL");
    await collect(child);
    await new Promise((r) => setTimeout(r, 600));
    Deno.kill(frozen, "SIGCONT");
    await untilNoNodes(dir); // stdin EOF stops each node; its pipes to the parent are broken
    assert.deepEqual(lastEvents(dir, 6), new Array(6).fill("END"));
    // Each node saw its stdin close with no `stop` and was re-parented: it says so in END.
    assert.deepEqual(endReasons(dir, 6), new Array(6).fill("stopped/parent gone"));
    const a = await analyze(dir);
    assert.equal(a.code, 0, a.stdout + a.stderr);
  });
});

Deno.test("a node SIGKILLed mid-run: run_machine reports it, the analyzer exits 3 naming it", async () => {
  await inRun("node_killed", async (dir) => {
    const base = freeRange(3);
    const child = runMachine(dir, ["--duration", "3", "--rate", "20", "--base-port", `${base}`]);
    await untilTicking(dir, 3);
    Deno.kill(nodePids(dir).get(2)!, "SIGKILL");
    const res = await collect(child);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /node 2 was killed by SIGKILL/);
    assert.deepEqual(lastEvents(dir, 3).map((e, i) => i === 1 || e === "END"), [true, true, true]);
    assert.notEqual(lastEvents(dir, 3)[1], "END");
    const a = await analyze(dir);
    assert.equal(a.code, 3, a.stdout + a.stderr);
    assert.match(a.stdout.split("\n")[1], /^ {2}- machine 2 did not finish: /);
    assert.match(a.stdout, /\nStatus: incomplete \(exit 3\)\n$/);
  });
});

Deno.test("run_machine --help says what Ctrl-C, a second Ctrl-C and SIGKILL do, and the exit codes", async () => {
  const res = await collect(runMachine("logs/unused", ["--help"]));
  assert.equal(res.code, 0);
  const text = res.stdout.replace(/\s+/g, " ");
  assert.match(text, /Ctrl-C \(SIGINT\) or SIGTERM stops every node gracefully: each writes END/);
  assert.match(text, /The same signal again within 1 s counts once/);
  assert.match(text, /A second Ctrl-C 1 s or more later kills the nodes still running at once/);
  assert.match(text, /130 \/ 143 interrupted by SIGINT \/ SIGTERM/);
});

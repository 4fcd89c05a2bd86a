import assert from "node:assert/strict";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { runSimulationCluster } from "../lib/cluster/simulate.ts";
import type { LogEvent } from "../lib/core/log_schema.ts";
import { formatEvent } from "../lib/core/log_format.ts";
import { LogWriter } from "../lib/io/log_writer.ts";
import { Prng } from "../lib/core/prng.ts";
import { EventQueue } from "../lib/sim/simulation_queue.ts";
import { accountMessages, readLog } from "./support/log_check.ts";

const START = 1_700_000_000_000;

async function simulate(dir: string, args: string[], startMs = START, signal?: AbortSignal) {
  const options = parseClusterArgs(["--simulate", ...args]);
  const result = await runSimulationCluster(options, {
    dir,
    startMs,
    handleSignals: false,
    signal,
  });
  const logs = result.nodes.map((n) => readLog(n.log));
  const bytes = result.nodes.map((n) => Deno.readTextFileSync(n.log)).join("\u0000");
  return { result, logs, bytes };
}

Deno.test("simulation: the same seed and start give byte-identical logs; another seed differs", async () => {
  const dir = Deno.makeTempDirSync();
  const args = ["--count", "4", "--duration", "60", "--rate-max", "20"];
  const a = await simulate(`${dir}/a`, [...args, "--seed", "5"]);
  const b = await simulate(`${dir}/b`, [...args, "--seed", "5"]);
  const c = await simulate(`${dir}/c`, [...args, "--seed", "6"]);
  assert.ok(a.result.simulation.events > 1000, `events ${a.result.simulation.events}`);
  assert.equal(a.bytes, b.bytes);
  assert.notEqual(a.bytes, c.bytes);
  // Another start instant shifts system_time only: the events themselves are the same.
  const d = await simulate(`${dir}/d`, [...args, "--seed", "5"], START + 12_345);
  const strip = (logs: LogEvent[][]) =>
    logs.map((l) => l.map((e) => ({ ...e, system_time: 0, arrival_time: 0 })));
  assert.deepEqual(strip(d.logs), strip(a.logs));
  assert.equal(d.logs[0][0].system_time, (START + 12_345) / 1000);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("simulation: 3 nodes x 60 virtual s take well under a second, STARTUP..END, all accounted", async () => {
  const dir = Deno.makeTempDirSync();
  const t0 = performance.now();
  const { result, logs } = await simulate(dir, ["--duration", "60", "--seed", "1"]);
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  assert.deepEqual(result.nodes.map((n) => n.log), [1, 2, 3].map((i) => `${dir}/machine_${i}.log`));
  logs.forEach((log, i) => {
    assert.equal(log[0].event, "STARTUP");
    assert.equal(log[0].system_time, START / 1000);
    assert.equal(log.at(-1)!.event, "END");
    assert.equal(log.at(-1)!.system_time, START / 1000 + 60);
    const rate = (log[0] as Extract<LogEvent, { event: "STARTUP" }>).clock_rate;
    const ticks = log.filter((e) => ["SEND", "RECEIVE", "INTERNAL"].includes(e.event)).length;
    assert.equal(ticks, rate * 60, `node ${i + 1}: rate ${rate}`);
    assert.equal(result.simulation.rates[i], rate);
  });
  const acc = accountMessages(logs);
  assert.ok(acc.sent > 50);
  assert.deepEqual(acc.unaccounted, []);
  assert.deepEqual(acc.clockViolations, []);
  assert.equal(acc.duplicates, 0);
  assert.equal(acc.received + acc.queuedAtEnd + acc.undelivered, acc.sent);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("simulation: messages in flight at END are logged UNDELIVERED by their sender before END", async () => {
  const dir = Deno.makeTempDirSync();
  const { result, logs } = await simulate(dir, [
    "--duration",
    "5",
    "--rate",
    "50",
    "--delay-min",
    "200",
    "--delay-max",
    "400",
    "--seed",
    "3",
  ]);
  const undelivered = logs.flat().filter((e): e is Extract<LogEvent, { event: "UNDELIVERED" }> =>
    e.event === "UNDELIVERED"
  );
  assert.ok(undelivered.length > 0);
  assert.equal(undelivered.length, result.simulation.inFlightAtEnd);
  assert.ok(undelivered.every((e) => e.reason === "in flight at END" && e.to !== null));
  for (const log of logs) assert.equal(log.at(-1)!.event, "END");
  const receives = logs.flat().filter((e): e is Extract<LogEvent, { event: "RECEIVE" }> =>
    e.event === "RECEIVE"
  );
  for (const r of receives) {
    const lag = r.arrival_time * 1000 - START;
    assert.ok(lag >= 200, `delivered after ${lag} ms of the run`);
  }
  const acc = accountMessages(logs);
  assert.deepEqual(acc.unaccounted, []);
  assert.equal(acc.received + acc.queuedAtEnd + acc.undelivered, acc.sent);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("EventQueue pops in (time, insertion) order", () => {
  const q = new EventQueue<number>();
  const rnd = new Prng(9);
  const items = Array.from({ length: 500 }, (_, i) => ({ t: Math.floor(rnd.next() * 20), i }));
  for (const { t, i } of items) q.push(t, i);
  const popped: number[] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) popped.push(e.item);
  const expected = [...items].sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i);
  assert.deepEqual(popped, expected);
  assert.throws(() => q.push(NaN, 1), /Cannot schedule an event: current time is NaN/);
});

/** Python json.dumps-style reference (the generic path, independent of formatEvent). */
function reference(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(reference).join(", ") + "]";
  return "{" + Object.entries(v as object).filter(([, x]) => x !== undefined)
    .map(([k, x]) => JSON.stringify(k) + ": " + reference(x)).join(", ") +
    "}";
}

Deno.test("formatEvent's fast path writes the same bytes as Python-style json.dumps", () => {
  const base = { system_time: 1700000000.1234567, machine_id: 3, old_clock: 4, new_clock: 5 };
  const events: unknown[] = [
    { event: "INTERNAL", ...base },
    {
      event: "SEND",
      ...base,
      recipients: [["127.0.0.1", 5002], ["::1", 5003]],
      to: [2, null],
      seq: 9,
    },
    { event: "SEND", ...base, recipients: [['h\u00e9"x', 1]], to: [], seq: 1 },
    {
      event: "RECEIVE",
      ...base,
      queue_len: 0,
      from: null,
      seq: null,
      msg_clock: 7,
      arrival_time: 1.5,
    },
    { event: "RECEIVE", ...base, queue_len: 2, from: 1, seq: 3, msg_clock: 7, arrival_time: 1e21 },
    // Off-schema shapes take the generic path and still match.
    { ...base, event: "INTERNAL" },
    { event: "INTERNAL", ...base, extra: "x" },
    { event: "INTERNAL", ...base, new_clock: "5" },
    { event: "SEND", ...base, recipients: [["a", "1"]], to: [2], seq: 1 },
    {
      event: "RECEIVE",
      ...base,
      queue_len: 0,
      from: 1,
      seq: undefined,
      msg_clock: 7,
      arrival_time: 1,
    },
  ];
  for (const e of events) assert.equal(formatEvent(e as LogEvent), reference(e) + "\n");
});

Deno.test("LogWriter writes lines of any size and non-ASCII text intact, in order", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/m.log`;
  const log = LogWriter.open(path, { flushMs: 0, maxBuffer: 1024 });
  const expected: string[] = [];
  for (let i = 0; i < 300; i++) {
    const reason = i % 50 === 0 ? "x".repeat(5000) : `r\u00e9${i}\u{1F600}`;
    const e: LogEvent = {
      event: "PROTOCOL_ERROR",
      system_time: i,
      machine_id: 1,
      peer: "127.0.0.1:1",
      reason,
    };
    log.write(e);
    expected.push(formatEvent(e));
  }
  log.close();
  assert.equal(log.lines, 300);
  assert.equal(Deno.readTextFileSync(path), expected.join(""));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("simulation: an abort ends every node at the virtual time reached, with END, all accounted", async () => {
  const dir = Deno.makeTempDirSync();
  const stop = new AbortController();
  stop.abort();
  const args = ["--duration", "20", "--rate", "10000", "--seed", "2"];
  const { result, logs } = await simulate(dir, args, START, stop.signal);
  assert.equal(result.ok, false);
  assert.match(result.error ?? "", /stopped at virtual time .* \(END written\)/);
  const stoppedAt = result.simulation.stoppedAt!;
  assert.ok(stoppedAt > START && stoppedAt < START + 20_000, `stopped at ${stoppedAt}`);
  for (const log of logs) {
    assert.equal(log.at(-1)!.event, "END");
    assert.equal(log.at(-1)!.system_time, stoppedAt / 1000);
  }
  assert.ok(result.simulation.events < 400_000, `events ${result.simulation.events}`);
  assert.deepEqual(accountMessages(logs).unaccounted, []);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("run_machine --simulate: SIGINT during a long simulation writes END everywhere, exit 130", async () => {
  const dir = Deno.makeTempDirSync();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-run=deno",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      new URL("../run_machine.ts", import.meta.url).pathname,
      "--simulate",
      "--logs-dir",
      dir,
      "--duration",
      "600",
      "--rate",
      "1000",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      if (Deno.statSync(`${dir}/machine_3.log`).size > 0) break;
    } catch { /* not yet */ }
  }
  child.kill("SIGINT");
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 130, stderr);
  assert.match(stderr, /Run interrupted by SIGINT \(simulated\)/);
  const logs = [1, 2, 3].map((i) => readLog(`${dir}/machine_${i}.log`));
  for (const log of logs) assert.equal(log.at(-1)!.event, "END");
  assert.deepEqual(accountMessages(logs).unaccounted, []);
  Deno.removeSync(dir, { recursive: true });
});

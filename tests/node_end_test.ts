/**
 * How a node ends (in process): completed, stopped with a detail, or failed on the
 * last-resort path (UNDELIVERED for what is pending, END "failed"), including an error
 * nothing else caught.
 */
import assert from "node:assert/strict";
import { startNode } from "../lib/node/node.ts";
import { readLog } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";
import { only } from "./support/node_proc.ts";
import { deriveSession } from "../lib/core/prng.ts";
import { runSimulation } from "../lib/sim/simulation.ts";

function isolated(dir: string, extra: { duration?: number } = {}) {
  const [dead] = freePorts(1);
  return startNode({
    id: 1,
    port: 0,
    peers: [{ host: "127.0.0.1", port: dead, id: 2 }],
    log: `${dir}/m.log`,
    duration: extra.duration ?? 30,
    seed: 1,
    rate: 50,
    dieSides: 3, // every tick sends
    connectTimeoutMs: 200,
  });
}

Deno.test("RunningNode.fail() logs UNDELIVERED for every pending message and END failed with the error", async () => {
  const dir = Deno.makeTempDirSync();
  const node = isolated(dir);
  node.begin();
  await new Promise((r) => setTimeout(r, 300));
  node.fail(new Error("boom"));
  node.stop("too late"); // a stop after a failure does not hide it
  const end = await node.finished;
  assert.deepEqual(end, { reason: "failed", detail: "boom", logProblem: null });
  const log = readLog(`${dir}/m.log`);
  const sends = only(log, "SEND");
  assert.ok(sends.length >= 10, `${sends.length} sends`);
  assert.equal(only(log, "UNDELIVERED").length, sends.length);
  const last = log.at(-1)!;
  assert.ok(last.event === "END");
  assert.deepEqual([last.reason, last.detail], ["failed", "boom"]);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("with handleUncaught(), an unhandled rejection ends the node on the last-resort path", async () => {
  const dir = Deno.makeTempDirSync();
  const node = isolated(dir);
  const remove = node.handleUncaught();
  node.begin();
  await new Promise((r) => setTimeout(r, 100));
  Promise.reject(new Error("stray rejection"));
  const end = await node.finished;
  remove();
  assert.equal(end.reason, "failed");
  assert.equal(end.detail, "stray rejection");
  const last = readLog(`${dir}/m.log`).at(-1)!;
  assert.ok(last.event === "END" && last.reason === "failed");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("stop(detail) ends with END stopped and the detail; running out the duration ends completed", async () => {
  const dir = Deno.makeTempDirSync();
  const a = isolated(dir);
  a.begin();
  a.stop("SIGTERM");
  assert.deepEqual(await a.finished, { reason: "stopped", detail: "SIGTERM", logProblem: null });
  const b = startNode({ id: 1, port: 0, peers: [], log: `${dir}/b.log`, duration: 0.2, seed: 1 });
  b.begin();
  assert.deepEqual(await b.finished, { reason: "completed", detail: "", logProblem: null });
  const last = readLog(`${dir}/b.log`).at(-1)!;
  assert.ok(last.event === "END" && last.reason === "completed" && last.detail === "");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("simulation: sessions derive from node seeds; RECEIVE and END name the sender's session", async () => {
  const dir = Deno.makeTempDirSync();
  const nodes = [1, 2].map((id) => ({
    id,
    port: 5000 + id,
    peers: [{ host: "127.0.0.1", port: 5000 + 3 - id }],
    log: `${dir}/m${id}.log`,
    seed: 40 + id,
  }));
  await runSimulation(nodes, { duration: 5, startMs: 1.7e12, networkSeed: 1, rate: 20 });
  const logs = nodes.map((n) => readLog(n.log));
  logs.forEach((log, i) => {
    assert.equal(only(log, "STARTUP")[0].session, deriveSession(nodes[i].seed));
    const other = deriveSession(nodes[1 - i].seed);
    const receives = only(log, "RECEIVE");
    assert.ok(receives.length > 0);
    assert.ok(receives.every((e) => e.from_session === other));
    const end = log.at(-1)!;
    assert.ok(end.event === "END" && end.reason === "completed");
    assert.ok(end.queued_msgs.every((q) => q.session === other));
  });
  Deno.removeSync(dir, { recursive: true });
});

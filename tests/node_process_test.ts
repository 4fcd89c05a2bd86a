/**
 * A node as run_machine.ts runs it: `NodeProcess` over the control pipe, and the `Supervisor`
 * that stops it, on one real `machine.ts` process each.
 */
import assert from "node:assert/strict";
import { detectLauncher, machineProgram, nodeArgs } from "../lib/cluster/command.ts";
import { NodeProcess } from "../lib/cluster/node_process.ts";
import type { ClusterOptions } from "../lib/cluster/options.ts";
import { Supervisor } from "../lib/cluster/shutdown.ts";

/** Spawns one node without peers, logging into `dir`. */
function spawnNode(dir: string, duration: number): NodeProcess {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const program = machineProgram(detectLauncher(), { dir, hosts: ["127.0.0.1"] });
  const model: Pick<ClusterOptions, "duration" | "dieSides"> = { duration, dieSides: 10 };
  return NodeProcess.spawn(program, {
    id: 1,
    args: nodeArgs({ id: 1, port, peers: [], log: `${dir}/machine_1.log`, seed: 3 }, {
      ...model,
      bind: "127.0.0.1",
      rate: 20,
      rateRange: [1, 6],
    }),
  });
}

function endOf(dir: string): Record<string, unknown> {
  const lines = Deno.readTextFileSync(`${dir}/machine_1.log`).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

Deno.test("NodeProcess: a node links, starts at the given instant, reports its final clock and exits 0", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const node = spawnNode(dir, 0.3);
    await node.linked;
    assert.equal(node.phase, "linked");
    await node.start(Date.now() + 50);
    const status = await node.exited;
    assert.equal(status.code, 0, node.stderr);
    assert.equal(node.phase, "exited");
    const end = endOf(dir);
    assert.equal(end.event, "END");
    assert.equal(node.finalClock, end.final_clock);
    assert.ok((node.finalClock ?? 0) >= 3, `final clock ${node.finalClock}`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("Supervisor.stop() asks a running node to stop: it writes END with the reason and exits, nothing killed", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const node = spawnNode(dir, 60);
    await node.linked;
    await node.start(Date.now());
    const supervisor = new Supervisor([node], { graceMs: 10_000 });
    await supervisor.stop("test over");
    assert.equal(supervisor.reason, "test over");
    assert.deepEqual([...supervisor.killed], []);
    assert.equal((await node.exited).code, 0, node.stderr);
    const end = endOf(dir);
    assert.deepEqual([end.event, end.reason, end.detail], ["END", "stopped", "parent: test over"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { runControl } from "../lib/node/control.ts";
import { startNode } from "../lib/node/node.ts";
import { readLog } from "./support/log_check.ts";

/** A parent's end of the pipe that takes `ok` writes, then is gone (broken pipe). */
function dyingParent(ok: number) {
  const lines: string[] = [];
  return {
    lines,
    writeSync(p: Uint8Array): number {
      if (lines.length >= ok) throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
      lines.push(new TextDecoder().decode(p));
      return p.length;
    },
  };
}

function commands() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { stream, controller };
}

function node(dir: string) {
  return startNode({
    id: 1,
    port: 0,
    bind: "127.0.0.1",
    peers: [],
    log: `${dir}/machine_1.log`,
    duration: 30,
    seed: 1,
    drainMs: 50,
  });
}

Deno.test("runControl(): a broken pipe to the parent is not fatal: the node stops, writes END, nothing more is written", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "control_" });
  const input = commands();
  try {
    const n = node(dir);
    const parent = dyingParent(2); // listening and linked get through, the first status does not
    const reports: string[] = [];
    input.controller.enqueue(new TextEncoder().encode(`start ${Date.now()}\n`));
    const t0 = performance.now();
    await runControl(n, {
      statusMs: 20,
      output: parent,
      input: input.stream,
      report: (m) => reports.push(m),
    });
    assert.ok(performance.now() - t0 < 2000, "stopped at once, not after --duration");
    assert.deepEqual(parent.lines.map((l) => JSON.parse(l).type), ["listening", "linked"]);
    assert.deepEqual(reports, [
      "machine.ts: node 1: Cannot write to the parent: the pipe is closed (parent gone); stopping",
    ]);
    const log = readLog(`${dir}/machine_1.log`);
    assert.equal(log[0].event, "STARTUP");
    const end = log.at(-1)!;
    assert.equal(end.event, "END");
    assert.deepEqual([end.reason, end.detail], ["stopped", "parent gone"]);
  } finally {
    input.controller.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runControl(): a failing read of the parent's commands stops the node cleanly with END", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "control_" });
  try {
    const n = node(dir);
    const input = commands();
    const parent = dyingParent(100);
    const reports: string[] = [];
    setTimeout(() => input.controller.error(new Deno.errors.BrokenPipe("read failed")), 50);
    await runControl(n, {
      statusMs: 1000,
      output: parent,
      input: input.stream,
      report: (m) => reports.push(m),
    });
    assert.deepEqual(reports, [
      "machine.ts: node 1: Cannot read the parent's commands: read failed; stopping",
    ]);
    assert.equal(JSON.parse(parent.lines.at(-1)!).type, "done");
    const end = readLog(`${dir}/machine_1.log`).at(-1)!;
    assert.equal(end.event, "END");
    assert.deepEqual([end.reason, end.detail], ["stopped", "cannot read the parent's commands"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runControl(): `stop <reason>` stops the node with that reason in END; EOF alone says the parent closed stdin", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "control_" });
  try {
    const input = commands();
    input.controller.enqueue(new TextEncoder().encode("stop interrupted by SIGINT\n"));
    await runControl(node(dir), { statusMs: 1000, output: dyingParent(100), input: input.stream });
    input.controller.close();
    const end = readLog(`${dir}/machine_1.log`).at(-1)!;
    assert.equal(end.event, "END");
    assert.deepEqual([end.reason, end.detail], ["stopped", "parent: interrupted by SIGINT"]);
    const eof = commands();
    eof.controller.close(); // our parent is alive: its stdin was just closed
    await runControl(node(dir), { statusMs: 1000, output: dyingParent(100), input: eof.stream });
    const again = readLog(`${dir}/machine_1.log`).at(-1)!;
    assert.equal(again.event, "END");
    assert.deepEqual([again.reason, again.detail], ["stopped", "parent closed stdin"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runControl(): an idle node says its status once, not every statusMs; a ticking one says each change", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "control_" });
  const input = commands();
  const said: Record<string, unknown>[] = [];
  const output = {
    writeSync(p: Uint8Array): number {
      said.push(JSON.parse(new TextDecoder().decode(p)));
      return p.length;
    },
  };
  try {
    const control = runControl(node(dir), { statusMs: 20, output, input: input.stream });
    await new Promise((r) => setTimeout(r, 400)); // linked, not started: nothing changes
    assert.deepEqual(said.map((m) => m.type), ["listening", "linked", "status"]);
    input.controller.enqueue(new TextEncoder().encode(`start ${Date.now()}\n`));
    await new Promise((r) => setTimeout(r, 1500)); // ticking at 1..6/s: its clock changes
    const statuses = said.filter((m) => m.type === "status");
    assert.ok(statuses.length >= 2, `${statuses.length} status lines`);
    assert.ok(statuses.length <= 1 + 1500 / 20, `${statuses.length} status lines`);
    const texts = statuses.map(({ type: _, ...rest }) => JSON.stringify(rest));
    texts.forEach((t, i) => assert.ok(i === 0 || t !== texts[i - 1], `line ${i} repeats`));
    input.controller.enqueue(new TextEncoder().encode("stop test over\n"));
    await control;
  } finally {
    input.controller.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

/**
 * The start barrier's first half: a node started with `holdLinks` (`--hold-links`) listens at
 * once but connects to no peer until it is told to link (`link()`, the control protocol's
 * `link` command, or `begin()`); run_machine.ts holds every node until all of them listen.
 */
import assert from "node:assert/strict";
import { type RunningNode, startNode } from "../lib/node/node.ts";
import { runControl } from "../lib/node/control.ts";
import { detectLauncher, machineProgram, nodeArgs } from "../lib/cluster/command.ts";
import { NodeProcess } from "../lib/cluster/node_process.ts";
import { readLog } from "./support/log_check.ts";

/** A listener standing in for a peer: counts the connections it is offered. */
function fakePeer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) conns.push(conn);
  })();
  return {
    port: listener.addr.port,
    conns,
    async close() {
      listener.close();
      await accepting.catch(() => {});
      conns.forEach((c) => c.close());
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(ok: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

function heldNode(dir: string, peerPort: number, holdLinks = true): RunningNode {
  return startNode({
    id: 1,
    port: 0,
    bind: "127.0.0.1",
    peers: [{ host: "127.0.0.1", port: peerPort, id: 2 }],
    log: `${dir}/machine_1.log`,
    duration: 30,
    seed: 1,
    drainMs: 50,
    holdLinks,
  });
}

Deno.test("holdLinks: the node listens at once but connects to no peer until link()", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "hold_links_" });
  const peer = fakePeer();
  try {
    const node = heldNode(dir, peer.port);
    // Listening: a client can connect to the held node.
    const probe = await Deno.connect({ hostname: "127.0.0.1", port: node.transport.port });
    probe.close();
    await sleep(400); // far longer than a first connect on loopback takes
    assert.equal(peer.conns.length, 0, "no connection before link()");
    node.link();
    await until(() => peer.conns.length === 1, "the connection after link()");
    node.link(); // a second call changes nothing
    node.stop("test over");
    await node.finished;
    const end = readLog(`${dir}/machine_1.log`).at(-1)!;
    assert.equal(end.event, "END");
    assert.equal(end.reason, "stopped");
  } finally {
    await peer.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("holdLinks: a node stopped while held ends its log with END, having connected to no one", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "hold_links_" });
  const peer = fakePeer();
  try {
    const node = heldNode(dir, peer.port);
    await sleep(100);
    node.stop("never linked");
    await node.finished;
    assert.equal(peer.conns.length, 0);
    const end = readLog(`${dir}/machine_1.log`).at(-1)!;
    assert.equal(end.event, "END");
    assert.equal(end.detail, "never linked");
  } finally {
    await peer.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("without holdLinks a node connects to its peers at once", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "hold_links_" });
  const peer = fakePeer();
  try {
    const node = heldNode(dir, peer.port, false);
    await until(() => peer.conns.length === 1, "the first connection");
    node.stop("test over");
    await node.finished;
  } finally {
    await peer.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runControl(): the parent's `link` command starts the held node's links", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "hold_links_" });
  const peer = fakePeer();
  let input!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (input = c) });
  const said: string[] = [];
  const output = {
    writeSync(p: Uint8Array): number {
      said.push(JSON.parse(new TextDecoder().decode(p)).type);
      return p.length;
    },
  };
  try {
    const node = heldNode(dir, peer.port);
    const control = runControl(node, { statusMs: 1000, output, input: stream });
    await sleep(300);
    assert.deepEqual(said, ["listening"]);
    assert.equal(peer.conns.length, 0, "no connection before `link`");
    input.enqueue(new TextEncoder().encode("link\n"));
    await until(() => peer.conns.length === 1, "the connection after `link`");
    input.enqueue(new TextEncoder().encode("stop test over\n"));
    await control;
    assert.equal(said.at(-1), "done");
    const end = readLog(`${dir}/machine_1.log`).at(-1)!;
    assert.equal(end.event, "END");
    assert.equal(end.detail, "parent: test over");
  } finally {
    input.close();
    await peer.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("NodeProcess: run_machine's nodes run with --hold-links: listening, no connection, then link() connects", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "hold_links_" });
  const peer = fakePeer();
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    const program = machineProgram(detectLauncher(), { dir, hosts: ["127.0.0.1"] });
    const args = nodeArgs(
      {
        id: 1,
        port,
        peers: [{ host: "127.0.0.1", port: peer.port }],
        log: `${dir}/m.log`,
        seed: 3,
      },
      { duration: 30, dieSides: 10, bind: "127.0.0.1", rate: 5, rateRange: [1, 6] },
    );
    assert.ok(args.includes("--hold-links"), args.join(" "));
    const node = NodeProcess.spawn(program, { id: 1, args });
    await node.listening;
    await sleep(400);
    assert.equal(peer.conns.length, 0, "no connection before link()");
    assert.equal(node.phase, "listening");
    await node.link();
    await until(() => peer.conns.length >= 1, "the connection after link()");
    await node.closeStdin(); // the parent goes: the node stops and writes END
    assert.equal((await node.exited).code, 0, node.stderr);
    const end = readLog(`${dir}/m.log`).at(-1)!;
    assert.equal(end.event, "END");
    assert.equal(end.detail, "parent closed stdin");
  } finally {
    await peer.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

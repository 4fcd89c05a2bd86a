import assert from "node:assert/strict";
import { type RunningNode, startNode, wallNow } from "../lib/node/node.ts";
import { accountMessages, readLog } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";
import type { LogEvent } from "../lib/core/log_schema.ts";

function cluster(dir: string, n: number, extra: { rate?: number; duration?: number } = {}) {
  const ports = freePorts(n);
  return ports.map((port, i) =>
    startNode({
      id: i + 1,
      port,
      bind: "127.0.0.1",
      peers: ports.filter((p) => p !== port).map((p) => ({ host: "127.0.0.1", port: p })),
      log: `${dir}/machine_${i + 1}.log`,
      duration: extra.duration ?? 2,
      seed: 100 + i,
      rate: extra.rate,
    })
  );
}

async function runTogether(nodes: RunningNode[]) {
  await Promise.all(nodes.map((n) => n.linked));
  const at = wallNow() + 50;
  nodes.forEach((n) => n.begin(at));
  await Promise.all(nodes.map((n) => n.finished));
}

Deno.test("three TCP nodes for 2 s: every message accounted for, receive clock > send clock", async () => {
  const dir = Deno.makeTempDirSync();
  const nodes = cluster(dir, 3, { rate: 50 });
  await runTogether(nodes);
  const logs = [1, 2, 3].map((i) => readLog(`${dir}/machine_${i}.log`));
  for (const log of logs) {
    assert.equal(log[0].event, "STARTUP");
    assert.equal(log.at(-1)!.event, "END");
    const ticks = log.filter((e) => ["SEND", "RECEIVE", "INTERNAL"].includes(e.event)).length;
    assert.equal(ticks, 100, "ticks at 50/s for 2 s");
    assert.equal(log.filter((e) => e.event === "LINK_UP").length, 4); // 2 out + 2 in
    assert.equal(log.filter((e) => e.event === "PROTOCOL_ERROR").length, 0);
  }
  const acc = accountMessages(logs);
  assert.ok(acc.sent > 50, `sent ${acc.sent}`);
  assert.deepEqual(acc.unaccounted, []);
  assert.deepEqual(acc.clockViolations, []);
  assert.equal(acc.duplicates, 0);
  assert.equal(acc.orphans, 0);
  const lost = acc.undelivered - acc.undeliveredButReceived;
  assert.equal(acc.received + acc.queuedAtEnd + lost, acc.sent);
  // SEND always names known recipient ids once links are up.
  const sends = logs.flat().filter((e): e is Extract<LogEvent, { event: "SEND" }> =>
    e.event === "SEND"
  );
  assert.ok(sends.every((s) => s.to.every((id) => id !== null)));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a peer that never comes up: its messages are logged UNDELIVERED, none lost", async () => {
  const dir = Deno.makeTempDirSync();
  const [deadPort] = freePorts(1);
  const node = startNode({
    id: 1,
    port: 0,
    bind: "127.0.0.1",
    peers: [{ host: "127.0.0.1", port: deadPort }],
    log: `${dir}/m.log`,
    duration: 0.5,
    seed: 3,
    rate: 40,
    dieSides: 3, // every tick sends
    connectTimeoutMs: 200,
  });
  node.begin();
  await node.finished;
  const log = readLog(`${dir}/m.log`);
  const sends = log.filter((e) => e.event === "SEND");
  const undelivered = log.filter((e) => e.event === "UNDELIVERED");
  assert.ok(sends.length >= 19, `sends ${sends.length}`);
  assert.equal(undelivered.length, sends.length);
  assert.ok(
    undelivered.every((e) => e.event === "UNDELIVERED" && e.reason === "peer never connected"),
  );
  assert.equal(log.at(-1)!.event, "END");
  Deno.removeSync(dir, { recursive: true });
});

async function rawSend(port: number, payload: Uint8Array | string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  await conn.write(bytes);
  const buf = new Uint8Array(1024);
  // Wait until the node answers (hello) or closes on us.
  const n = await conn.read(buf).catch(() => null);
  conn.close();
  return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
}

Deno.test("bad frames are logged PROTOCOL_ERROR, the connection dropped, the node keeps running", async () => {
  const dir = Deno.makeTempDirSync();
  const node = startNode({
    id: 5,
    port: 0,
    bind: "127.0.0.1",
    peers: [],
    log: `${dir}/m.log`,
    duration: 30,
    seed: 1,
    rate: 10,
  });
  node.begin();
  const port = node.transport.port;
  assert.equal(await rawSend(port, "abc\n"), "");
  assert.equal(await rawSend(port, "1e309\n"), "");
  assert.equal(await rawSend(port, new Uint8Array([0xff, 0xfe, 0x0a])), "");
  assert.equal(await rawSend(port, "9".repeat(5000)), "");
  assert.equal(await rawSend(port, '{"type":"msg","from":1,"seq":1,"clock":3}\n'), ""); // before hello
  assert.match(
    await rawSend(port, '{"type":"hello","id":9}\n{"type":"bogus"}\n'),
    /^\{"type":"hello","id":5\}\n$/, // never our session: only our own outbound hello has it
  );
  // The original's format still works: a bare integer from an unknown sender.
  const legacy = await Deno.connect({ hostname: "127.0.0.1", port });
  await legacy.write(new TextEncoder().encode("42\n"));
  legacy.close();
  await new Promise((r) => setTimeout(r, 250));
  node.stop();
  await node.finished;
  const log = readLog(`${dir}/m.log`);
  const errors = log.filter((e) => e.event === "PROTOCOL_ERROR").map((e) =>
    e.event === "PROTOCOL_ERROR" && e.reason
  );
  assert.equal(errors.length, 6);
  assert.match(String(errors[0]), /Cannot parse frame as JSON: current value is "abc"/);
  assert.match(String(errors[1]), /Cannot accept clock value: current value is "1e309"/);
  assert.match(String(errors[2]), /UTF-8/);
  assert.match(String(errors[3]), /longer than 4096 bytes/);
  assert.match(String(errors[4]), /Cannot accept msg frame before hello/);
  assert.match(String(errors[5]), /Cannot accept frame type: current value is "bogus"/);
  const received = log.find((e) => e.event === "RECEIVE");
  assert.ok(received && received.event === "RECEIVE");
  assert.equal(received.from, null);
  assert.equal(received.msg_clock, 42);
  assert.equal(received.new_clock, Math.max(received.old_clock, 42) + 1);
  assert.equal(log.at(-1)!.event, "END");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("two nodes link over IPv6 loopback ([::1]:port peers)", async () => {
  const dir = Deno.makeTempDirSync();
  const probe = [0, 1].map(() => Deno.listen({ hostname: "::1", port: 0 }));
  const ports = probe.map((l) => l.addr.port);
  probe.forEach((l) => l.close());
  const nodes = ports.map((port, i) =>
    startNode({
      id: i + 1,
      port,
      bind: "::1",
      peers: [{ host: "::1", port: ports[1 - i] }],
      log: `${dir}/m${i + 1}.log`,
      duration: 0.5,
      seed: i,
      rate: 40,
      dieSides: 3,
    })
  );
  await runTogether(nodes);
  const logs = [1, 2].map((i) => readLog(`${dir}/m${i}.log`));
  const up = logs[0].find((e) => e.event === "LINK_UP" && e.direction === "out");
  assert.ok(up && up.event === "LINK_UP");
  assert.equal(up.peer, `[::1]:${ports[1]}`);
  assert.equal(up.peer_id, 2);
  const acc = accountMessages(logs);
  assert.ok(acc.sent >= 15, `sent ${acc.sent}`); // 40 ticks in all, each a SEND or a RECEIVE
  assert.deepEqual(acc.unaccounted, []);
  assert.equal(acc.received + acc.queuedAtEnd, acc.sent);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a peer that comes up late gets the messages queued for it, in order", async () => {
  const dir = Deno.makeTempDirSync();
  const [pa, pb] = freePorts(2);
  const common = { bind: "127.0.0.1", rate: 40, dieSides: 3, duration: 1.5 };
  const a = startNode({
    ...common,
    id: 1,
    port: pa,
    peers: [{ host: "127.0.0.1", port: pb }],
    log: `${dir}/a.log`,
    seed: 1,
  });
  const start = wallNow();
  a.begin(start);
  await new Promise((r) => setTimeout(r, 500)); // A sends into the void, with retries
  const b = startNode({
    ...common,
    id: 2,
    port: pb,
    peers: [{ host: "127.0.0.1", port: pa }],
    log: `${dir}/b.log`,
    seed: 2,
  });
  b.begin(start + 500);
  await Promise.all([a.finished, b.finished]);
  const logs = [readLog(`${dir}/a.log`), readLog(`${dir}/b.log`)];
  const early = logs[0].filter((e) => e.event === "SEND" && e.to[0] === null);
  assert.ok(early.length >= 10, `SENDs before the link was up: ${early.length}`);
  const acc = accountMessages(logs);
  assert.deepEqual(acc.unaccounted, []);
  assert.deepEqual(acc.clockViolations, []);
  assert.equal(acc.duplicates, 0);
  const fromA = logs[1].filter((e) => e.event === "RECEIVE").map((e) =>
    e.event === "RECEIVE" && e.seq
  );
  assert.deepEqual(fromA, [...fromA].sort((x, y) => Number(x) - Number(y))); // per-link FIFO
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("re-sent frames of one session are delivered once; a restarted sender's are not dropped", async () => {
  const dir = Deno.makeTempDirSync();
  const node = startNode({
    id: 5,
    port: 0,
    bind: "127.0.0.1",
    peers: [],
    log: `${dir}/m.log`,
    duration: 30,
    seed: 1,
    rate: 1,
  });
  const port = node.transport.port;
  const session = async (id: number, s: number, seqs: number[]) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const frames = [
      { type: "hello", id, session: s },
      ...seqs.map((seq) => ({
        type: "msg",
        from: id,
        seq,
        clock: 100 + seq,
      })),
    ];
    await conn.write(
      new TextEncoder().encode(frames.map((f) => JSON.stringify(f) + "\n").join("")),
    );
    const buf = new Uint8Array(4096);
    let got = "";
    while (!got.includes(`"ack","seq":${seqs.at(-1)}`)) {
      const n = await conn.read(buf);
      if (n === null) break;
      got += new TextDecoder().decode(buf.subarray(0, n));
    }
    conn.close();
    return got;
  };
  assert.match(await session(7, 1, [1, 2]), /"ack","seq":2/);
  assert.match(await session(7, 1, [2, 3]), /"ack","seq":3/); // reconnect: 2 is a re-send
  assert.match(await session(7, 2, [1]), /"ack","seq":1/); // restarted process: new session
  node.stop();
  await node.finished;
  const end = readLog(`${dir}/m.log`).at(-1)!;
  assert.ok(end.event === "END");
  assert.deepEqual(end.queued_msgs, [
    { from: 7, seq: 1, clock: 101, session: 1 },
    { from: 7, seq: 2, clock: 102, session: 1 },
    { from: 7, seq: 3, clock: 103, session: 1 },
    { from: 7, seq: 1, clock: 101, session: 2 },
  ]);
  Deno.removeSync(dir, { recursive: true });
});

/**
 * Hostile input against real nodes (machine.ts subprocesses on 127.0.0.1): each case asserts
 * the node kept ticking (>= 99% of its ticks), its clock moved only by valid messages, its
 * RSS stayed under RSS_BOUND_MB and its log ends with END. Each prints one `figure:` line
 * (the numbers in RELIABILITY.md).
 */
import assert from "node:assert/strict";
import { connect, exchange, line, randomBytes, readAll } from "./support/attack.ts";
import { assertSurvived, type NodeResult, only, sleep, spawnNode } from "./support/node_proc.ts";
import { accountMessages } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";
import { writeAll } from "../lib/io/write_all.ts";

const NEAR_2_53 = "9007199254740990"; // 2^53 - 2: with its newline, 17 bytes

function figure(text: string): void {
  console.log(`figure: ${text}`);
}

Deno.test("hostile: a 17-byte near-2^53 bare integer is refused (clock jump); the node ticks on", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  const x = await exchange(node.port, `${NEAR_2_53}\n`, { readMs: 500 });
  assert.equal(new TextEncoder().encode(`${NEAR_2_53}\n`).length, 17);
  assert.equal(x.reply, "");
  const r = await node.finish();
  const errors = only(r.events, "PROTOCOL_ERROR");
  assert.equal(errors.length, 1);
  assert.match(errors[0].reason, /current value is 9007199254740990, .* ahead of the local clock/);
  assert.equal(only(r.events, "RECEIVE").length, 0);
  figure(assertSurvived("17-byte near-2^53 line", r));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: with --max-clock-jump 0 the near-2^53 line ends the node in order at the clock limit", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir, args: ["--max-clock-jump", "0"] });
  await exchange(node.port, `${NEAR_2_53}\n`, { readMs: 300 });
  const r = await node.finish();
  assert.equal(r.code, 1, r.stderr);
  const stderr = r.stderr.trim().split("\n");
  assert.equal(stderr.length, 1, r.stderr);
  assert.match(stderr[0], /Cannot advance the clock past 2\^53 - 1.*\(END written\)/);
  const receive = only(r.events, "RECEIVE")[0];
  assert.equal(receive.new_clock, 2 ** 53 - 1);
  const end = r.events.at(-1)!;
  assert.ok(end.event === "END");
  assert.equal(end.reason, "failed");
  assert.match(end.detail, /clock limit/);
  assert.equal(end.final_clock, 2 ** 53 - 1);
  figure(`--max-clock-jump 0 + near-2^53 line: END failed ("${end.detail}"), exit 1`);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: huge jumps and overflowing clocks from a sender are refused and acknowledged", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  const session = 424242;
  const clocks = [50, 1e12, 2 ** 53 - 1, 60, 1e15];
  const frames = [
    line({ type: "hello", id: 7, session }),
    ...clocks.map((clock, i) => line({ type: "msg", from: 7, seq: i + 1, clock })),
  ].join("");
  const conn = await connect(node.port);
  await writeAll(conn, frames);
  const x = await readAll(conn, 400);
  assert.match(x.reply, /"ack","seq":5/); // refused ones are acknowledged too: no resend
  assert.equal(x.closed, false); // the link stays up
  const r = await node.finish();
  const refused = only(r.events, "PROTOCOL_ERROR");
  assert.deepEqual(refused.map((e) => [e.from, e.from_session, e.seq, e.clock]), [
    [7, session, 2, 1e12],
    [7, session, 3, 2 ** 53 - 1],
    [7, session, 5, 1e15],
  ]);
  assert.match(refused[1].reason, /would pass 2\^53 - 1/);
  const received = only(r.events, "RECEIVE").map((e) => [e.seq, e.msg_clock, e.from_session]);
  assert.deepEqual(received, [[1, 50, session], [4, 60, session]]);
  const valid = new Set(["7/1/50", "7/4/60"]);
  figure(assertSurvived("huge jumps (10^12, 2^53-1, 10^15)", r, { valid }));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: negative, fractional, 1e309, 2**53 and near-2^53 values never touch the clock", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  // [value, refused how]: "parse" = invalid frame (connection closed); "clock" = refused by
  // the clock rules (logged, the connection stays); "ok" = a valid integer.
  const cases: [string, "parse" | "clock" | "ok"][] = [
    ["-1", "parse"],
    ["-0.0", "parse"],
    ["1.5", "parse"],
    ["1e309", "parse"],
    ["9007199254740992", "parse"], // 2^53
    ["9007199254740991", "clock"], // 2^53 - 1: receiving it would overflow
    [NEAR_2_53, "clock"], // too far ahead
    ["1e3", "ok"], // the integer 1000
  ];
  let seq = 0;
  for (const [v, how] of cases) {
    const legacy = await exchange(node.port, `${v}\n`, { readMs: 300 });
    assert.equal(legacy.closed, how === "parse", `bare ${v}`);
    seq++;
    const msg = `{"type":"msg","from":7,"seq":${seq},"clock":${v}}\n`;
    const x = await exchange(node.port, line({ type: "hello", id: 7, session: 1 }) + msg, {
      readMs: 300,
    });
    assert.equal(x.closed, how === "parse", `msg ${v}`);
    assert.equal(x.reply.includes(`"ack","seq":${seq}`), how !== "parse", `ack of ${v}`);
  }
  const r = await node.finish();
  const errors = only(r.events, "PROTOCOL_ERROR");
  assert.equal(errors.length, 2 * (cases.length - 1), errors.map((e) => e.reason).join("\n"));
  const valid = new Set(["null/null/1000", `7/${cases.length}/1000`]);
  assert.equal(only(r.events, "RECEIVE").length, 2);
  figure(assertSurvived("negative/fractional/1e309/2**53/near-2^53", r, { valid }));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: wrong-shape JSON is refused and the connection dropped", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  const bad = [
    "[]",
    '"hello"',
    "null",
    "true",
    "{}",
    '{"type":"hello"}',
    '{"type":"hello","id":"1"}',
    '{"type":"hello","id":-3}',
    '{"type":"hello","id":1.5}',
    '{"type":"hello","id":2,"session":"x"}',
    '{"type":"hello","id":2,"nonce":"short"}',
    '{"type":"msg","from":7,"seq":1,"clock":5}',
    '{"type":"ack","seq":1}',
    '{"type":{"nested":true}}',
    '{"type":"hello","id":2}}',
    '{"type":"hello","id":2',
  ];
  for (const b of bad) {
    const x = await exchange(node.port, b + "\n", { readMs: 500 });
    assert.equal(x.closed, true, b);
    assert.equal(x.reply, "", b);
  }
  const afterHello = [
    '{"type":"msg","from":8,"seq":1,"clock":5}', // from is not the hello's id
    '{"type":"msg","from":7,"seq":0,"clock":5}',
    '{"type":"msg","from":7,"seq":1}',
    '{"type":"hello","id":7}',
    "5",
  ];
  for (const b of afterHello) {
    const x = await exchange(node.port, line({ type: "hello", id: 7 }) + b + "\n", {
      readMs: 500,
    });
    assert.equal(x.closed, true, b);
  }
  const r = await node.finish();
  assert.equal(only(r.events, "PROTOCOL_ERROR").length, bad.length + afterHello.length);
  figure(assertSurvived("wrong-shape JSON", r));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: random bytes on 20 connections are refused; the node ticks on", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  const results = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) => exchange(node.port, randomBytes(65536, i + 1), { readMs: 1000 }),
    ),
  );
  assert.ok(results.every((x) => x.closed));
  const r = await node.finish();
  assert.equal(only(r.events, "PROTOCOL_ERROR").length, 20);
  figure(assertSurvived("random bytes (20 x 64 KiB)", r));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: a 10 MB line is cut off after 4 KiB; RSS stays bounded", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  const big = new Uint8Array(10 * 1024 * 1024).fill(0x37); // "7777…" without a newline
  const x = await exchange(node.port, big, { readMs: 2000 });
  assert.equal(x.closed, true);
  const r = await node.finish();
  const errors = only(r.events, "PROTOCOL_ERROR");
  assert.equal(errors.length, 1);
  assert.match(errors[0].reason, /Cannot accept frame longer than 4096 bytes/);
  figure(assertSurvived("10 MB line", r));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: 5000 tiny frames in one write are all taken, in order, none lost", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  const n = 5000;
  let text = line({ type: "hello", id: 7, session: 9 });
  for (let seq = 1; seq <= n; seq++) text += line({ type: "msg", from: 7, seq, clock: seq });
  const conn = await connect(node.port);
  await writeAll(conn, text);
  const x = await readAll(conn, 800);
  assert.match(x.reply, new RegExp(`"ack","seq":${n}\\}\\n$`));
  const r = await node.finish();
  const received = only(r.events, "RECEIVE").map((e) => e.seq!);
  const end = r.events.at(-1)!;
  assert.ok(end.event === "END");
  const queued = end.queued_msgs.map((q) => q.seq!);
  assert.deepEqual([...received, ...queued], Array.from({ length: n }, (_, i) => i + 1));
  const valid = new Set(Array.from({ length: n }, (_, i) => `7/${i + 1}/${i + 1}`));
  figure(
    assertSurvived(
      `${n} tiny frames in one write (${received.length} received, ` +
        `${queued.length} queued at END)`,
      r,
      { valid },
    ),
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: slow drip is cut at the hello timeout, and at the idle timeout after hello", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({
    dir,
    duration: 3,
    args: ["--hello-timeout", "500", "--idle-timeout", "1000"],
  });
  const drip = async (prefix: string, text: string) => {
    const conn = await connect(node.port);
    if (prefix) await writeAll(conn, prefix);
    const reading = readAll(conn, 2500);
    for (const ch of text) {
      try {
        await writeAll(conn, ch);
      } catch {
        break; // closed by the node
      }
      await sleep(100);
    }
    return await reading;
  };
  const [before, after] = await Promise.all([
    drip("", line({ type: "hello", id: 7 })),
    drip(line({ type: "hello", id: 8 }), line({ type: "msg", from: 8, seq: 1, clock: 1 })),
  ]);
  assert.equal(before.closed, true);
  assert.ok(before.ms >= 300 && before.ms < 1500, `hello drip closed after ${before.ms} ms`);
  assert.equal(after.closed, true);
  assert.ok(after.ms >= 800 && after.ms < 2000, `frame drip closed after ${after.ms} ms`);
  const r = await node.finish();
  assert.match(only(r.events, "PROTOCOL_ERROR")[0].reason, /no hello within 500 ms/);
  const down = only(r.events, "LINK_DOWN");
  assert.equal(down.length, 1);
  assert.match(down[0].reason, /no frame for 1000 ms \(idle timeout\)/);
  figure(
    assertSurvived(`slow drip (hello cut after ${before.ms} ms, frame after ${after.ms} ms)`, r),
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: 1000 garbage connections in a burst give a few rate-limited lines and an exact count", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir });
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(
      Array.from({ length: 100 }, () => exchange(node.port, "abc\n", { readMs: 2000 })),
    );
  }
  const r = await node.finish();
  const errors = only(r.events, "PROTOCOL_ERROR");
  const suppressed = errors.reduce((sum, e) => sum + (e.suppressed ?? 0), 0);
  assert.equal(errors.length + suppressed, 1000);
  assert.ok(errors.length <= 40, `${errors.length} lines`);
  figure(
    assertSurvived(
      `1000 garbage connections (${errors.length} PROTOCOL_ERROR lines, ${suppressed} suppressed)`,
      r,
    ),
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: 2000 connections: the cap refuses the excess, the node keeps ticking", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir, duration: 3 });
  const t0 = performance.now();
  const conns: Deno.TcpConn[] = [];
  for (let batch = 0; batch < 8; batch++) {
    conns.push(...await Promise.all(Array.from({ length: 250 }, () => connect(node.port))));
  }
  const results = await Promise.all(conns.map((c) => readAll(c, 1200)));
  const refused = results.filter((x) => x.closed).length;
  const accepted = results.length - refused;
  const ms = Math.round(performance.now() - t0);
  const r = await node.finish();
  assert.equal(accepted, 256, `accepted ${accepted}`); // --max-inbound default
  const errors = only(r.events, "PROTOCOL_ERROR");
  const counted = errors.reduce((sum, e) => sum + 1 + (e.suppressed ?? 0), 0);
  assert.equal(counted, refused, "every refused connection counted");
  assert.match(errors[0].reason, /current inbound connections are 256 \(limit --max-inbound 256\)/);
  figure(
    assertSurvived(
      `2000 connections in ${ms} ms: ${accepted} accepted, ${refused} refused ` +
        `(${errors.length} PROTOCOL_ERROR lines)`,
      r,
    ),
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: descriptor exhaustion under ulimit -n 64: accept errors are logged and retried, the listener survives", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir, duration: 4, ulimit: 64 });
  const idle = await Promise.all(Array.from({ length: 100 }, () => connect(node.port)));
  await sleep(800);
  idle.forEach((c) => c.close());
  await sleep(300);
  const hello = line({ type: "hello", id: 7, session: 3 });
  const x = await exchange(node.port, hello + line({ type: "msg", from: 7, seq: 1, clock: 5 }), {
    readMs: 1500,
  });
  assert.match(x.reply, /"ack","seq":1/, "a valid sender still gets through");
  const r = await node.finish();
  const errors = only(r.events, "PROTOCOL_ERROR").filter((e) =>
    /Cannot accept a connection on/.test(e.reason)
  );
  assert.ok(errors.length > 0, "accept errors logged");
  assert.match(errors[0].reason, /Too many open files|os error 24/i);
  const total = errors.reduce((sum, e) => sum + 1 + (e.suppressed ?? 0), 0);
  const receive = only(r.events, "RECEIVE").concat();
  const end = r.events.at(-1)!;
  const got = receive.length + (end.event === "END" ? end.queued : 0);
  assert.equal(got, 1);
  figure(
    assertSurvived(
      `ulimit -n 64 + 100 idle connections: ${total} accept errors (${errors.length} lines), ` +
        `then a valid message acknowledged`,
      r,
      { valid: new Set(["7/1/5"]) },
    ),
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: a forged sender's huge seq cannot make a node drop another session's messages", async () => {
  const dir = Deno.makeTempDirSync();
  const node = await spawnNode({ dir, peers: `2@127.0.0.1:${await deadPort()}` });
  // Reading the node's session: its hello answer never carries one.
  const probe = await exchange(node.port, line({ type: "hello", id: 2, session: 1 }), {
    readMs: 300,
  });
  assert.equal(probe.reply, '{"type":"hello","id":1}\n');
  // A fake "2" (guessing a session) poisons seq 10^15 of its own session only.
  const fake = await exchange(
    node.port,
    line({ type: "hello", id: 2, session: 1 }) +
      line({ type: "msg", from: 2, seq: 1e15, clock: 3 }),
    { readMs: 300 },
  );
  assert.match(fake.reply, /"ack","seq":1000000000000000/);
  // The real 2 (another session) sends seq 1..5: all taken.
  const real = await exchange(
    node.port,
    line({ type: "hello", id: 2, session: 987654321 }) +
      [1, 2, 3, 4, 5].map((seq) => line({ type: "msg", from: 2, seq, clock: 10 + seq })).join(""),
    { readMs: 300 },
  );
  assert.match(real.reply, /"ack","seq":5/);
  const r = await node.finish();
  const got = only(r.events, "RECEIVE").map((e) => [e.seq, e.from_session]);
  const end = r.events.at(-1)!;
  assert.ok(end.event === "END");
  const queued = end.queued_msgs.map((q) => [q.seq, q.session]);
  const real5 = [...got, ...queued].filter(([, s]) => s === 987654321).map(([seq]) => seq);
  assert.deepEqual(real5, [1, 2, 3, 4, 5]);
  const valid = new Set([
    "2/1000000000000000/3",
    ...[1, 2, 3, 4, 5].map((q) => `2/${q}/${10 + q}`),
  ]);
  figure(
    assertSurvived("dedup poisoning by a forged session (real sender lost 0 of 5)", r, { valid }),
  );
  Deno.removeSync(dir, { recursive: true });
});

async function deadPort(): Promise<number> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  await sleep(1);
  return port;
}

/**
 * Two real nodes (ids 1 and 2, peers with ids) that send on every tick with an empty queue;
 * B ticks twice as fast as A, so both send (B's spare ticks go to sends to A).
 */
async function pair(dir: string, extra: string[] = [], env?: Record<string, string>) {
  const [pa, pb] = freePorts(2);
  const common = { dir, duration: 3, args: ["--die-sides", "3", ...extra], env };
  const [a, b] = await Promise.all([
    spawnNode({ ...common, id: 1, port: pa, rate: 50, peers: `2@127.0.0.1:${pb}` }),
    spawnNode({ ...common, id: 2, port: pb, rate: 100, peers: `1@127.0.0.1:${pa}` }),
  ]);
  await waitFor(() => linkedBoth(a.log) && linkedBoth(b.log));
  return { a, b };
}

function linkedBoth(log: string): boolean {
  const text = Deno.readTextFileSync(log);
  return /"LINK_UP".*"direction": "out"/.test(text) && /"LINK_UP".*"direction": "in"/.test(text);
}

async function waitFor(ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Cannot see the condition within ${ms} ms`);
    await sleep(20);
  }
}

/** `from/seq/clock` of every message `sender` sent to `to`. */
function sentTo(sender: NodeResult, to: number): Set<string> {
  return new Set(
    only(sender.events, "SEND").filter((e) => e.to.includes(to)).map((e) =>
      `${e.machine_id}/${e.seq}/${e.new_clock}`
    ),
  );
}

Deno.test("hostile: impersonation without a secret: own id, unknown ids and a live peer's id are refused", async () => {
  const dir = Deno.makeTempDirSync();
  const { a, b } = await pair(dir);
  const tries = [
    { id: 1, want: /that is this node's own id/ },
    { id: 9, want: /not a configured peer: want 2/ },
    { id: 2, want: /peer 2 already has a live link with another session/ },
  ];
  for (const t of tries) {
    const x = await exchange(
      a.port,
      line({ type: "hello", id: t.id, session: 5 }) +
        line({ type: "msg", from: t.id, seq: 1, clock: 1e6 }),
      { readMs: 500 },
    );
    assert.equal(x.closed, true, `hello as ${t.id}`);
    assert.equal(x.reply, "", `hello as ${t.id}: nothing disclosed`);
  }
  const [ra, rb] = await Promise.all([a.finish(), b.finish()]);
  const errors = only(ra.events, "PROTOCOL_ERROR").map((e) => e.reason);
  tries.forEach((t, i) => assert.match(errors[i], t.want));
  const acc = accountMessages([ra.events, rb.events]);
  assert.deepEqual(acc.unaccounted, []);
  assert.equal(acc.duplicates, 0);
  figure(assertSurvived("impersonation without a secret (node 1)", ra, { valid: sentTo(rb, 1) }));
  assertSurvived("impersonation without a secret (node 2)", rb, { valid: sentTo(ra, 2) });
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: the issue's dedup attack (read B's session, hello to A as B, huge seq) loses nothing", async () => {
  const dir = Deno.makeTempDirSync();
  const { a, b } = await pair(dir);
  // 1. Ask B for its session, as A would: B never says it (here it even refuses the link).
  const ask = await exchange(b.port, line({ type: "hello", id: 1 }), { readMs: 500 });
  assert.ok(!ask.reply.includes("session"), ask.reply);
  // 2. Say hello to A as B with guessed sessions and a huge seq.
  for (const session of [0, 1, 2 ** 53 - 1]) {
    const x = await exchange(
      a.port,
      line({ type: "hello", id: 2, session }) + line({ type: "msg", from: 2, seq: 1e15, clock: 1 }),
      { readMs: 300 },
    );
    assert.equal(x.closed, true);
  }
  const [ra, rb] = await Promise.all([a.finish(), b.finish()]);
  const acc = accountMessages([ra.events, rb.events]);
  assert.deepEqual(acc.unaccounted, []);
  assert.equal(acc.duplicates, 0);
  const fromB = sentTo(rb, 1).size;
  const bSession = only(rb.events, "STARTUP")[0].session;
  const takenFromB = only(ra.events, "RECEIVE").filter((e) => e.from_session === bSession).length;
  figure(
    assertSurvived(
      `dedup attack on real nodes: B sent ${fromB} messages to A, ${acc.unaccounted.length} ` +
        `unaccounted, ${takenFromB} received with B's session`,
      ra,
      { valid: sentTo(rb, 1) },
    ),
  );
  assertSurvived("dedup attack (node 2)", rb, { valid: sentTo(ra, 2) });
  Deno.removeSync(dir, { recursive: true });
});

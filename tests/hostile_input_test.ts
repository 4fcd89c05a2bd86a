/**
 * Hostile input, part 1: bad values and bad bytes, against real nodes (machine.ts subprocesses
 * on 127.0.0.1). Each case asserts the node kept ticking (>= 99% of its ticks), its clock moved
 * only by valid messages, its RSS stayed under RSS_BOUND_MB and its log ends with END, and
 * prints one `figure:` line (the numbers in RELIABILITY.md).
 */
import assert from "node:assert/strict";
import { connect, exchange, line, randomBytes, readAll } from "./support/attack.ts";
import { assertSurvived, figure, only, spawnNode } from "./support/node_proc.ts";
import { writeAll } from "../lib/io/write_all.ts";

const NEAR_2_53 = "9007199254740990"; // 2^53 - 2: with its newline, 17 bytes

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

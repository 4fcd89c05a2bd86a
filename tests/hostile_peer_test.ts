/**
 * Hostile input, part 3: impersonation and duplicate poisoning without a secret, against real
 * nodes; the same assertions as hostile_input_test.ts (with a secret: hostile_auth_test.ts).
 */
import assert from "node:assert/strict";
import { exchange, line } from "./support/attack.ts";
import { assertSurvived, figure, only, sentTo, sleep, spawnNode } from "./support/node_proc.ts";
import { accountMessages } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";

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

/**
 * Hostile input, part 2: connections (slow drip, bursts of garbage, 2000 connections,
 * descriptor exhaustion), against real nodes; the same assertions as hostile_input_test.ts.
 */
import assert from "node:assert/strict";
import { connect, exchange, line, readAll } from "./support/attack.ts";
import { assertSurvived, figure, only, sleep, spawnNode } from "./support/node_proc.ts";
import { writeAll } from "../lib/io/write_all.ts";

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

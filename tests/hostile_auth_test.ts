/**
 * Hostile input against real nodes that share a secret (machine.ts --secret-file): without
 * the secret nothing links or is delivered, and frames replayed, reordered or forged on an
 * authenticated link are refused. Same assertions as hostile_input_test.ts.
 */
import assert from "node:assert/strict";
import { connect, exchange, line } from "./support/attack.ts";
import { assertSurvived, figure, only, sentTo, sleep, spawnNode } from "./support/node_proc.ts";
import { accountMessages } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";
import { createLinkAuth } from "../lib/auth/link_auth.ts";
import { LineDecoder } from "../lib/core/line_decoder.ts";
import { encodeFrame, type HelloFrame, MAX_FRAME_BYTES, parseFrame } from "../lib/core/wire.ts";
import type { LinkCodec } from "../lib/node/link_codec.ts";
import { writeAll } from "../lib/io/write_all.ts";

const SECRET = "7f3c9a1e5b2d4f608192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";

function secretFile(dir: string): string {
  const path = `${dir}/.secret`;
  Deno.writeTextFileSync(path, SECRET + "\n", { mode: 0o600 });
  return path;
}

/** Reads lines from a connection, with a time limit per line. */
function lineReader(conn: Deno.TcpConn) {
  const decoder = new LineDecoder({ maxLineBytes: MAX_FRAME_BYTES });
  const buf = new Uint8Array(4096);
  const ready: string[] = [];
  return async (ms = 2000): Promise<string | null> => {
    const deadline = Date.now() + ms;
    while (ready.length === 0) {
      const timer = setTimeout(() => conn.close(), Math.max(1, deadline - Date.now()));
      const n = await conn.read(buf).catch(() => null);
      clearTimeout(timer);
      if (n === null) return null;
      ready.push(...decoder.push(buf.subarray(0, n)).filter((l) => l !== ""));
    }
    return ready.shift()!;
  };
}

/** Connects as peer `selfId` with the secret: hello, proof, auth. */
async function authLink(port: number, selfId: number, session: number) {
  const conn = await connect(port);
  const hs = createLinkAuth(new TextEncoder().encode(SECRET)).outbound.start({ selfId, session });
  await writeAll(conn, encodeFrame(hs.hello()));
  const next = lineReader(conn);
  const answer = parseFrame((await next())!) as HelloFrame;
  const { auth, codec } = await hs.answer(answer);
  await writeAll(conn, encodeFrame(auth));
  return { conn, codec: codec as LinkCodec, next, answer };
}

Deno.test("hostile: impersonation with the secret set: without it no hello links, no session leaks, nothing is delivered", async () => {
  const dir = Deno.makeTempDirSync();
  const file = secretFile(dir);
  const [pa, pb] = freePorts(2);
  const common = { dir, duration: 3, args: ["--die-sides", "3", "--secret-file", file] };
  const [a, b] = await Promise.all([
    spawnNode({ ...common, id: 1, port: pa, rate: 50, peers: `2@127.0.0.1:${pb}` }),
    spawnNode({ ...common, id: 2, port: pb, rate: 100, peers: `1@127.0.0.1:${pa}` }),
  ]);
  await sleep(500);
  const fakeNonce = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));
  // A hello with a nonce gets the node's answer (its proof: no session), then a made-up proof.
  const conn = await connect(pa);
  await writeAll(conn, line({ type: "hello", id: 2, nonce: fakeNonce }));
  const answer = await lineReader(conn)();
  assert.match(answer!, /^\{"type":"hello","id":1,"nonce":"[^"]+","proof":"[^"]+"\}$/);
  assert.ok(!answer!.includes("session"));
  const forged = { type: "auth", proof: fakeNonce, session: 1 };
  const refused = await exchange(
    pa,
    line(forged) + line({ type: "msg", from: 2, seq: 1, clock: 5 }),
    {
      conn,
      readMs: 500,
    },
  );
  assert.equal(refused.closed, true);
  const tries = [
    line({ type: "hello", id: 2, session: 1 }) + line({ type: "msg", from: 2, seq: 1, clock: 5 }),
    "42\n",
    line({ type: "hello", id: 2, nonce: fakeNonce }) +
    line({ type: "msg", from: 2, seq: 1, clock: 5 }),
    line({ type: "hello", id: 9, nonce: fakeNonce }),
  ];
  for (const t of tries) assert.equal((await exchange(pa, t, { readMs: 500 })).closed, true, t);
  const [ra, rb] = await Promise.all([a.finish(), b.finish()]);
  const reasons = only(ra.events, "PROTOCOL_ERROR").map((e) => e.reason);
  assert.equal(reasons.length, 5, reasons.join("\n"));
  assert.match(reasons[0], /Cannot authenticate peer 2: its proof does not match/);
  assert.match(reasons[1], /Cannot authenticate peer 2: its hello carries no nonce/);
  assert.match(reasons[2], /bare-integer message: this node requires authentication/);
  assert.match(reasons[3], /Cannot accept msg frame before hello/);
  assert.match(reasons[4], /not a configured peer/);
  const acc = accountMessages([ra.events, rb.events]);
  assert.deepEqual(acc.unaccounted, []);
  assert.equal(acc.duplicates, 0);
  figure(
    assertSurvived(
      `impersonation with the secret set (5 attempts refused, ${acc.sent} real messages, 0 unaccounted)`,
      ra,
      { valid: sentTo(rb, 1) },
    ),
  );
  assertSurvived("impersonation with the secret set (node 2)", rb, { valid: sentTo(ra, 2) });
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("hostile: replayed, reordered and forged frames on an authenticated link are refused", async () => {
  const dir = Deno.makeTempDirSync();
  const file = secretFile(dir);
  const [dead] = freePorts(1);
  const node = await spawnNode({
    dir,
    duration: 3,
    peers: `7@127.0.0.1:${dead}`,
    args: ["--secret-file", file, "--allow-legacy"],
  });
  const msg = (seq: number, clock: number) => ({ type: "msg" as const, from: 7, seq, clock });
  // An honest peer 7: two messages, acknowledged.
  const one = await authLink(node.port, 7, 100);
  assert.equal(one.answer.session, undefined);
  const f1 = await one.codec.encode(msg(1, 5));
  const f2 = await one.codec.encode(msg(2, 6));
  await writeAll(one.conn, f1 + f2);
  const ack = await one.codec.decode((await one.next())!);
  assert.deepEqual(ack, { type: "ack", seq: 2 });
  // 1. The same frame again on the same link.
  const replay = await exchange(node.port, f2, { conn: one.conn, readMs: 1000 });
  assert.equal(replay.closed, true);
  // 2. A frame of that link on a new link.
  const two = await authLink(node.port, 7, 100);
  assert.equal((await exchange(node.port, f2, { conn: two.conn, readMs: 1000 })).closed, true);
  // 3. Two genuine frames in the wrong order.
  const three = await authLink(node.port, 7, 100);
  const f3 = await three.codec.encode(msg(3, 7));
  const f4 = await three.codec.encode(msg(4, 8));
  assert.equal(
    (await exchange(node.port, f4 + f3, { conn: three.conn, readMs: 1000 })).closed,
    true,
  );
  // 4. A genuine frame with its clock changed.
  const four = await authLink(node.port, 7, 100);
  const forged = (await four.codec.encode(msg(3, 7))).replace('"clock":7', '"clock":999');
  assert.equal((await exchange(node.port, forged, { conn: four.conn, readMs: 1000 })).closed, true);
  // 5. The honest peer again: accepted. A bare integer: accepted (--allow-legacy).
  const five = await authLink(node.port, 7, 100);
  await writeAll(five.conn, await five.codec.encode(msg(3, 7)));
  assert.deepEqual(await five.codec.decode((await five.next())!), { type: "ack", seq: 3 });
  five.conn.close();
  await exchange(node.port, "42\n", { readMs: 300 });
  const r = await node.finish();
  const macErrors = only(r.events, "PROTOCOL_ERROR").filter((e) => /MAC/.test(e.reason));
  assert.equal(macErrors.length, 4, macErrors.map((e) => e.reason).join("\n"));
  assert.ok(
    macErrors.every((e) =>
      /MAC does not match \(forged, replayed or out of order\)/.test(e.reason)
    ),
  );
  const end = r.events.at(-1)!;
  const got = [
    ...only(r.events, "RECEIVE").map((e) => `${e.from}/${e.seq}/${e.msg_clock}`),
    ...(end.event === "END" ? end.queued_msgs.map((q) => `${q.from}/${q.seq}/${q.clock}`) : []),
  ];
  assert.deepEqual(got.sort(), ["7/1/5", "7/2/6", "7/3/7", "null/null/42"]);
  figure(
    assertSurvived(
      "replayed/reordered/forged frames with the secret (4 refused, 3 + 1 legacy taken)",
      r,
      {
        valid: new Set(["7/1/5", "7/2/6", "7/3/7", "null/null/42"]),
      },
    ),
  );
  Deno.removeSync(dir, { recursive: true });
});

/**
 * lib/auth: the mutual HMAC-SHA256 handshake and the per-frame MACs (no sockets), and how
 * run_machine hands its nodes a fresh secret.
 */
import assert from "node:assert/strict";
import { AcceptorHandshake, ConnectorHandshake } from "../lib/auth/handshake.ts";
import { FrameSealer } from "../lib/auth/frame_mac.ts";
import { hmacKey, timingSafeEqual, toBase64 } from "../lib/auth/hmac.ts";
import { checkSecret, createLinkAuth } from "../lib/auth/link_auth.ts";
import type { MsgFrame } from "../lib/core/wire.ts";
import { readSecret } from "../lib/cli/secret_source.ts";
import { UsageError } from "../lib/cli/flag_values.ts";
import { createRunSecret } from "../lib/cluster/run_secret.ts";
import { runCluster } from "../lib/cluster/run.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { readLog } from "./support/log_check.ts";
import { freeRange } from "./support/ports.ts";

const SECRET = new TextEncoder().encode("0123456789abcdef0123456789abcdef");
const OTHER = new TextEncoder().encode("fedcba9876543210fedcba9876543210");
const msg = (seq: number, clock = seq): MsgFrame => ({ type: "msg", from: 1, seq, clock });

/** A full handshake between connector 1 (session 77) and acceptor 2. */
async function link(connectorSecret = SECRET, acceptorSecret = SECRET) {
  const c = new ConnectorHandshake(hmacKey(connectorSecret), { selfId: 1, session: 77 });
  const a = new AcceptorHandshake(hmacKey(acceptorSecret));
  const hello = c.hello();
  const answer = await a.hello(hello, 2);
  const { auth, codec } = await c.answer(answer);
  const acceptor = await a.finish(auth);
  return { hello, answer, auth, connector: codec, acceptor };
}

Deno.test("handshake: both sides prove the secret; the session travels only after the acceptor's proof", async () => {
  const { hello, answer, auth, connector, acceptor } = await link();
  assert.deepEqual(Object.keys(hello), ["type", "id", "nonce"]); // no session in the hello
  assert.deepEqual(Object.keys(answer), ["type", "id", "nonce", "proof"]);
  assert.equal(auth.session, 77);
  const line = await connector.encode(msg(1));
  assert.deepEqual(await acceptor.decode(line.trimEnd()), msg(1));
  const ack = await acceptor.encode({ type: "ack", seq: 1 });
  assert.deepEqual(await connector.decode(ack.trimEnd()), { type: "ack", seq: 1 });
});

Deno.test("handshake: a wrong secret fails on both sides, and nothing is disclosed", async () => {
  await assert.rejects(link(OTHER, SECRET), /Cannot authenticate peer 2: its proof does not match/);
  // An acceptor whose peer has another secret: the peer cannot make a valid auth frame.
  const a = new AcceptorHandshake(hmacKey(SECRET));
  const c = new ConnectorHandshake(hmacKey(OTHER), { selfId: 1, session: 5 });
  await a.hello(c.hello(), 2);
  const forged = { type: "auth" as const, proof: toBase64(new Uint8Array(32)), session: 5 };
  assert.throws(() => a.finish(forged), /Cannot authenticate peer 1: its proof does not match/);
});

Deno.test("handshake: a hello without a nonce, an answer without a proof, a changed session are refused", async () => {
  const a = new AcceptorHandshake(hmacKey(SECRET));
  assert.throws(() => a.hello({ type: "hello", id: 1, session: 3 }, 2), /carries no nonce/);
  const c = new ConnectorHandshake(hmacKey(SECRET), { selfId: 1, session: 5 });
  assert.throws(() => c.answer({ type: "hello", id: 2 }), /carries no proof/);
  const a2 = new AcceptorHandshake(hmacKey(SECRET));
  const c2 = new ConnectorHandshake(hmacKey(SECRET), { selfId: 1, session: 5 });
  const { auth } = await c2.answer(await a2.hello(c2.hello(), 2));
  assert.throws(() => a2.finish({ ...auth, session: 6 }), /proof does not match/);
  assert.throws(() => new AcceptorHandshake(hmacKey(SECRET)).finish(auth), /before hello/);
});

Deno.test("handshake: a proof replayed to another connection (fresh nonces) does not verify", async () => {
  const first = await link();
  const a = new AcceptorHandshake(hmacKey(SECRET));
  await a.hello(first.hello, 2); // the same hello replayed: the acceptor picks a new nonce
  assert.throws(() => a.finish(first.auth), /proof does not match/);
});

Deno.test("frames: forged, replayed, reordered, dropped, reflected or cross-link frames are refused", async () => {
  const sealed = async () => {
    const l = await link();
    const frames = [];
    for (let i = 1; i <= 3; i++) frames.push((await l.connector.encode(msg(i))).trimEnd());
    return { ...l, f: frames };
  };
  const mismatch = /its MAC does not match \(forged, replayed or out of order\)/;
  let l = await sealed();
  assert.throws(() => l.acceptor.decode(l.f[1]), /frame 1 of this link: its MAC does not match/); // reordered
  assert.throws(() => l.acceptor.decode(l.f[0]), /frame 1 failed its MAC check/); // then unusable
  l = await sealed();
  assert.deepEqual(await l.acceptor.decode(l.f[0]), msg(1));
  assert.throws(() => l.acceptor.decode(l.f[0]), mismatch); // replayed
  l = await sealed();
  assert.deepEqual(await l.acceptor.decode(l.f[0]), msg(1));
  assert.throws(() => l.acceptor.decode(l.f[2]), mismatch); // frame 2 dropped
  l = await sealed();
  assert.throws(() => l.acceptor.decode(l.f[0].replace('"clock":1', '"clock":9')), mismatch);
  l = await sealed();
  assert.throws(() => l.acceptor.decode('{"type":"msg","from":1,"seq":1,"clock":1}'), /no MAC/);
  l = await sealed();
  assert.throws(() => l.acceptor.decode(l.f[0].slice(0, -5) + '!!="}'), /MAC is malformed/);
  l = await sealed(); // reflected: a frame the acceptor sent, fed back to it
  const back = (await l.acceptor.encode({ type: "ack", seq: 1 })).trimEnd();
  assert.throws(() => l.acceptor.decode(back), mismatch);
  l = await sealed(); // another link (other nonces, same secret)
  const other = await sealed();
  assert.throws(() => l.acceptor.decode(other.f[0]), mismatch);
});

Deno.test("frames: after one frame fails its check, the link takes nothing more", async () => {
  const { connector, acceptor } = await link();
  const frames = Array.from({ length: 50 }, (_, i) => msg(i + 1));
  const lines = frames.map((f) => connector.encode(f));
  assert.deepEqual(lines.map((x) => acceptor.decode(x.trimEnd())), frames);
  const more = [msg(51), msg(52)].map((f) => connector.encode(f));
  assert.throws(() => acceptor.decode(more[1].trimEnd()), /frame 51 of this link: its MAC/);
  assert.throws(() => acceptor.decode(more[0].trimEnd()), /frame 51 failed its MAC check/);
});

Deno.test("FrameSealer: each direction counts on its own", async () => {
  const key = new Uint8Array(32).fill(1);
  const c = new FrameSealer(key, { send: "c2a", receive: "a2c" });
  const a = new FrameSealer(key, { send: "a2c", receive: "c2a" });
  for (let i = 1; i <= 3; i++) {
    assert.deepEqual(await a.decode((await c.encode(msg(i))).trimEnd()), msg(i));
    const ack = { type: "ack" as const, seq: i };
    assert.deepEqual(await c.decode((await a.encode(ack)).trimEnd()), ack);
  }
});

Deno.test("timingSafeEqual compares every byte; createLinkAuth never puts a session in a hello", () => {
  const x = new Uint8Array(32).fill(1);
  for (let i = 0; i < 32; i++) {
    const y = x.slice();
    y[i] = 2;
    assert.equal(timingSafeEqual(x, y), false);
  }
  assert.equal(timingSafeEqual(x, x.slice()), true);
  assert.equal(timingSafeEqual(new Uint8Array(0), new Uint8Array(0)), true);
  const auth = createLinkAuth(SECRET);
  const hello = auth.outbound.start({ selfId: 1, session: 9 }).hello();
  assert.equal(hello.session, undefined);
});

Deno.test("secrets: >= 16 bytes without trailing whitespace; files must be 0600; LAMPORT_SECRET is read only when allowed", () => {
  assert.equal(
    checkSecret(new TextEncoder().encode("x".repeat(16) + "\r\n"), { source: "s" }).length,
    16,
  );
  assert.throws(
    () => checkSecret(new TextEncoder().encode("x".repeat(15)), { source: "s" }),
    /15 bytes/,
  );
  assert.throws(() => checkSecret(new Uint8Array(5000).fill(65), { source: "s" }), /5000 bytes/);
  const dir = Deno.makeTempDirSync();
  const file = `${dir}/secret`;
  assert.throws(
    () => readSecret({ file }),
    (e: unknown) => e instanceof UsageError && /file not found/.test(e.message),
  );
  Deno.writeTextFileSync(file, "short\n", { mode: 0o600 });
  assert.throws(() => readSecret({ file }), /current length is 5 bytes/);
  Deno.writeTextFileSync(file, "a".repeat(40), { mode: 0o640 });
  Deno.chmodSync(file, 0o640);
  assert.throws(() => readSecret({ file }), /others can read it: current mode is 0640/);
  Deno.chmodSync(file, 0o600);
  assert.equal(readSecret({ file })!.length, 40);
  assert.throws(() => readSecret({ file: dir }), /it is not a file/);
  // This test process may not read LAMPORT_SECRET (no --allow-env for it): no secret, no prompt.
  assert.equal(readSecret(), null);
  // Messages name the source, never the secret.
  try {
    Deno.writeTextFileSync(file, "tooshortsecret", { mode: 0o600 });
    readSecret({ file });
  } catch (err) {
    assert.ok(!String(err).includes("tooshortsecret"));
  }
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("run_machine: a fresh 0600 secret per run, passed as --secret-file (never its content), gone after the run", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "cluster_secret_" });
  const machine = new URL("../machine.ts", import.meta.url).pathname;
  Deno.mkdirSync(`${dir}/bin`);
  Deno.mkdirSync(`${dir}/run`);
  // A stand-in node binary that records how it was started and the secret's mode.
  Deno.writeTextFileSync(
    `${dir}/bin/machine`,
    `#!/bin/sh\necho "$@" >> "${dir}/args.txt"\n` +
      `for a in "$@"; do case "$a" in *.secret) stat -c %a "$a" >> "${dir}/mode.txt";; esac; done\n` +
      `exec "${Deno.execPath()}" run --allow-net=127.0.0.1 --allow-read="${dir}" ` +
      `--allow-write="${dir}" "${machine}" "$@"\n`,
    { mode: 0o755 },
  );
  const base = freeRange(2); // two consecutive ports below the ephemeral range
  const result = await runCluster(
    parseClusterArgs(["--count", "2", "--duration", "1", "--rate", "10", "--base-port", `${base}`]),
    {
      dir: `${dir}/run`,
      launcher: { mode: "compiled", execPath: `${dir}/bin/run_machine` },
      progress: "none",
      handleSignals: false,
    },
  );
  assert.equal(result.ok, true, result.error ?? "");
  const args = Deno.readTextFileSync(`${dir}/args.txt`).trim().split("\n");
  assert.equal(args.length, 2);
  for (const a of args) assert.match(a, new RegExp(`--secret-file ${dir}/run/\\.secret( |$)`));
  assert.deepEqual(Deno.readTextFileSync(`${dir}/mode.txt`).trim().split("\n"), ["600", "600"]);
  assert.throws(() => Deno.statSync(`${dir}/run/.secret`), Deno.errors.NotFound);
  for (const id of [1, 2]) {
    const log = readLog(`${dir}/run/machine_${id}.log`);
    assert.equal(log.filter((e) => e.event === "LINK_UP").length, 2); // authenticated links
    assert.equal(log.filter((e) => e.event === "PROTOCOL_ERROR").length, 0);
    assert.ok(!Deno.readTextFileSync(`${dir}/run/machine_${id}.log`).includes("secret"));
  }
  // Two runs never share a secret.
  const a = createRunSecret(dir), first = Deno.readTextFileSync(a);
  assert.notEqual(Deno.readTextFileSync(createRunSecret(dir)), first);
  Deno.removeSync(dir, { recursive: true });
});

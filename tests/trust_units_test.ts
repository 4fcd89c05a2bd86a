/**
 * Unit tests of the pieces that keep a node from being crashed or fooled: received-clock
 * checks, the clock limit, END reasons, sessions, peer ids, the PROTOCOL_ERROR rate limit,
 * one live link per peer id, bounded duplicate memory, and the wire's hello/auth frames.
 */
import assert from "node:assert/strict";
import { checkReceivedClock, DEFAULT_MAX_CLOCK_JUMP, MAX_CLOCK } from "../lib/core/clock.ts";
import { deriveSession } from "../lib/core/prng.ts";
import { formatPeerEntry, parsePeers } from "../lib/core/peers.ts";
import { SuppressingLimiter } from "../lib/core/rate_limit.ts";
import { parseFrame, ProtocolError } from "../lib/core/wire.ts";
import { LineDecoder } from "../lib/core/line_decoder.ts";
import { LiveLinks, SenderMemory } from "../lib/node/senders.ts";
import { limitProtocolErrors } from "../lib/node/reporter.ts";
import { randomSession } from "../lib/node/tcp_transport.ts";
import { bindWarning, UsageError } from "../lib/cli/machine_args.ts";
import { parseRunArgs } from "./support/machine_args.ts";
import { fakeMachine } from "./support/fake.ts";

Deno.test("checkReceivedClock refuses overflow, implausible jumps and invalid values; 0 turns the jump check off", () => {
  assert.equal(checkReceivedClock(10, 0), "");
  assert.equal(checkReceivedClock(DEFAULT_MAX_CLOCK_JUMP, 0), "");
  assert.match(checkReceivedClock(DEFAULT_MAX_CLOCK_JUMP + 1, 0), /ahead of the local clock 0/);
  assert.equal(checkReceivedClock(5e9, 4.5e9), ""); // relative to the local clock
  assert.match(checkReceivedClock(MAX_CLOCK, MAX_CLOCK - 5), /would pass 2\^53 - 1/);
  assert.equal(checkReceivedClock(MAX_CLOCK - 1, 0, { maxJump: 0 }), "");
  assert.match(checkReceivedClock(MAX_CLOCK, 0, { maxJump: 0 }), /would pass/);
  for (const bad of [-1, 1.5, Infinity, NaN, -0, 2 ** 53]) {
    assert.match(checkReceivedClock(bad, 0), /want a safe integer/, String(bad));
  }
  assert.match(checkReceivedClock(1001, 0, { maxJump: 1000 }), /limit --max-clock-jump 1000/);
});

Deno.test("Machine.admit() queues plausible messages only and never changes the clock for a refused one", () => {
  const { machine, events } = fakeMachine({ maxClockJump: 100 });
  machine.start();
  assert.equal(machine.admit({ from: 2, seq: 1, clock: 100, arrivedMs: 0, session: 9 }), "");
  assert.match(machine.admit({ from: 2, seq: 2, clock: 101, arrivedMs: 0 }), /101 ahead/);
  assert.match(machine.admit({ from: 2, seq: 3, clock: MAX_CLOCK, arrivedMs: 0 }), /would pass/);
  assert.equal(machine.queueLength, 1);
  assert.equal(machine.clock, 0);
  machine.tick();
  assert.equal(machine.clock, 101);
  const last = events.at(-1)!;
  assert.equal(last.event === "RECEIVE" && last.from_session, 9);
});

Deno.test("Machine.canTick is false at 2^53 - 1, and END carries the reason and detail", () => {
  const { machine, events } = fakeMachine({ maxClockJump: 0 });
  machine.start();
  assert.equal(machine.admit({ from: 2, seq: 1, clock: MAX_CLOCK - 1, arrivedMs: 0 }), "");
  assert.equal(machine.canTick, true);
  machine.tick(); // receive: max(0, 2^53 - 2) + 1
  assert.equal(machine.clock, MAX_CLOCK);
  assert.equal(machine.canTick, false);
  assert.throws(() => machine.tick(), /past 2\^53 - 1/);
  machine.end({ reason: "failed", detail: "clock limit" });
  const end = events.at(-1)!;
  assert.ok(end.event === "END");
  assert.deepEqual([end.reason, end.detail, end.final_clock], ["failed", "clock limit", MAX_CLOCK]);
});

Deno.test("sessions: random ones are 53-bit integers, simulated ones derive from the seed", () => {
  const seen = new Set<number>();
  let high = 0;
  for (let i = 0; i < 1000; i++) {
    const s = randomSession();
    assert.ok(Number.isSafeInteger(s) && s >= 0);
    seen.add(s);
    if (s > 2 ** 52) high++;
  }
  assert.equal(seen.size, 1000);
  assert.ok(high > 350 && high < 650, `${high} of 1000 above 2^52`); // uses all 53 bits
  assert.equal(deriveSession(1), deriveSession(1));
  assert.notEqual(deriveSession(1), deriveSession(2));
});

Deno.test("parsePeers takes ids (2@host:port), keeps plain host:port, refuses mixed and repeated ids", () => {
  assert.deepEqual(parsePeers("2@127.0.0.1:5002,3@[::1]:5003"), [
    { host: "127.0.0.1", port: 5002, id: 2 },
    { host: "::1", port: 5003, id: 3 },
  ]);
  assert.deepEqual(parsePeers("127.0.0.1:5002"), [{ host: "127.0.0.1", port: 5002 }]);
  assert.throws(() => parsePeers("2@a:1,b:2"), /gives one for 1 of 2 entries/);
  assert.throws(() => parsePeers("2@a:1,2@b:2"), /gives id 2 twice/);
  assert.throws(() => parsePeers("x@a:1"), /Cannot parse peer "x@a:1" as it must be/);
  assert.throws(() => parsePeers("99999999999999999@a:1"), /Cannot parse peer/);
  assert.equal(formatPeerEntry({ host: "::1", port: 1, id: 4 }), "4@[::1]:1");
});

Deno.test("parseMachineArgs: trust flags, own id refused in --peers, a warning for a non-loopback bind without a secret", () => {
  const a = parseRunArgs([
    ...["--id", "1", "--port", "0", "--peers", "2@127.0.0.1:5002", "--seed", "1"],
    ...["--max-clock-jump", "0", "--max-inbound", "10", "--hello-timeout", "500"],
    ...["--idle-timeout", "0", "--max-receive-queue", "50"],
  ]);
  assert.equal(a.node.bind, "127.0.0.1");
  assert.equal(bindWarning(a.node.bind, { secret: false }), null);
  assert.deepEqual(
    [a.node.maxClockJump, a.node.maxInbound, a.node.helloTimeoutMs, a.node.idleTimeoutMs],
    [0, 10, 500, 0],
  );
  assert.equal(a.node.maxReceiveQueue, 50);
  const wide = parseRunArgs(["--id", "1", "--port", "0", "--bind", "0.0.0.0", "--seed", "1"]);
  assert.match(bindWarning(wide.node.bind!, { secret: false })!, /listening on 0\.0\.0\.0 without/);
  assert.equal(bindWarning(wide.node.bind!, { secret: true }), null);
  assert.equal(bindWarning("::1", { secret: false }), null);
  const legacy = parseRunArgs([
    ...["--id", "1", "--port", "0", "--secret-file", "s", "--allow-legacy"],
  ]);
  assert.equal(legacy.secretFile, "s");
  assert.equal(legacy.node.allowLegacy, true);
  const bad: [string[], RegExp][] = [
    [["--peers", "1@127.0.0.1:5002"], /lists 1@127\.0\.0\.1:5002, which has the id of this node/],
    [
      ["--idle-timeout", "500"],
      /^Cannot use --idle-timeout as it must be an integer 1000\.\.2147483647, or 0 for never: current value is 500$/,
    ],
    [
      ["--hello-timeout", "0"],
      /^Cannot use --hello-timeout as it must be an integer 100\.\.2147483647: current value is 0$/,
    ],
    [
      ["--max-inbound", "0"],
      /^Cannot use --max-inbound as it must be an integer >= 1: current value is 0$/,
    ],
    [
      ["--max-clock-jump=-1"],
      /^Cannot use --max-clock-jump as it must be an integer >= 1, or 0 for no limit: current value is -1$/,
    ],
  ];
  for (const [extra, re] of bad) {
    assert.throws(
      () => parseRunArgs(["--id", "1", "--port", "0", ...extra]),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      extra.join(" "),
    );
  }
});

Deno.test("SuppressingLimiter: lines written plus suppressed counts equal the items offered", () => {
  const limiter = new SuppressingLimiter<number>({ burst: 5, perSecond: 10 });
  let written = 0, suppressed = 0;
  for (let i = 0; i < 1000; i++) {
    const out = limiter.offer(i, i); // 1000 items in 1 s
    if (out) (written++, suppressed += out.suppressed);
  }
  const last = limiter.flush(10_000, { force: true });
  if (last) (written++, suppressed += last.suppressed);
  assert.equal(written + suppressed, 1000);
  assert.ok(written <= 5 + 10 + 1, `${written} written`);
  assert.equal(limiter.flush(20_000), null);
});

Deno.test("limitProtocolErrors passes other events through and writes suppressed last", () => {
  const lines: Record<string, unknown>[] = [];
  let now = 0;
  const r = limitProtocolErrors((event, fields) => lines.push({ event, ...fields }), {
    now: () => now,
    limiter: { burst: 1, perSecond: 1 },
  });
  r.report("PROTOCOL_ERROR", {
    peer: "p",
    reason: "a",
    from: 2,
    from_session: 1,
    seq: 1,
    clock: 9,
  });
  r.report("PROTOCOL_ERROR", { peer: "p", reason: "b" });
  r.report("LINK_UP", { peer: "p", peer_id: 2, direction: "in" });
  r.report("PROTOCOL_ERROR", { peer: "p", reason: "c" });
  now = 5000;
  r.flush();
  assert.deepEqual(lines.map((l) => [l.event, l.reason, l.suppressed]), [
    ["PROTOCOL_ERROR", "a", undefined],
    ["LINK_UP", undefined, undefined],
    ["PROTOCOL_ERROR", "c", 1],
  ]);
  assert.deepEqual(Object.keys(lines[2]), ["event", "peer", "reason", "suppressed"]);
  assert.equal(r.offered, 3);
});

Deno.test("LiveLinks: one live link per peer id; the same session or an authenticated one replaces it", () => {
  const links = new LiveLinks();
  const closed: string[] = [];
  const c = (name: string) => (why: string) => closed.push(`${name}: ${why}`);
  const first = c("first");
  assert.equal(links.claim(2, { session: 1, authenticated: false, close: first }), "");
  assert.match(links.claim(2, { session: 2, authenticated: false, close: c("x") }), /refused/);
  const second = c("second");
  assert.equal(links.claim(2, { session: 2, authenticated: true, close: second }), "");
  links.release(2, first); // the replaced link's release is a no-op
  assert.match(links.claim(2, { session: 3, authenticated: false, close: c("y") }), /refused/);
  links.release(2, second);
  assert.equal(links.claim(2, { session: 3, authenticated: false, close: c("z") }), "");
  assert.deepEqual(closed, ["first: replaced by a newer link from peer 2"]);
});

Deno.test("SenderMemory forgets the least recently used sender beyond its bound", () => {
  const m = new SenderMemory({ max: 3 });
  for (const k of ["a", "b", "c"]) m.set(k, 1);
  m.set("a", 2); // used again: now the newest
  m.set("d", 1); // forgets "b"
  assert.deepEqual(["a", "b", "c", "d"].map((k) => m.get(k)), [2, undefined, 1, 1]);
});

Deno.test("parseFrame reads authenticated hellos and auth frames and refuses malformed ones", () => {
  const b64 = "A".repeat(43) + "=";
  assert.deepEqual(parseFrame(JSON.stringify({ type: "hello", id: 2, nonce: b64 })), {
    type: "hello",
    id: 2,
    nonce: b64,
  });
  assert.deepEqual(parseFrame(JSON.stringify({ type: "auth", proof: b64, session: 5 })), {
    type: "auth",
    proof: b64,
    session: 5,
  });
  for (
    const bad of [
      { type: "hello", id: 2, nonce: "AAAA" },
      { type: "hello", id: 2, proof: 5 },
      { type: "auth", proof: b64 },
      { type: "auth", proof: b64, session: -1 },
      { type: "auth", proof: "x".repeat(100), session: 1 },
    ]
  ) {
    assert.throws(() => parseFrame(JSON.stringify(bad)), ProtocolError, JSON.stringify(bad));
  }
});

Deno.test("LineDecoder returns blank lines (keepalives) and never holds more than its limit", () => {
  const d = new LineDecoder({ maxLineBytes: 8 });
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.deepEqual(d.push(enc("\n\r\nab\n")), ["", "", "ab"]);
  assert.deepEqual(d.push(enc("12345678")), []);
  assert.equal(d.pendingBytes, 8);
  assert.deepEqual(d.push(enc("9")), []);
  assert.ok(d.error instanceof ProtocolError);
  assert.equal(d.pendingBytes, 0);
  assert.deepEqual(d.push(enc("ok\n")), []); // unusable after an error
});

import assert from "node:assert/strict";
import { formatPeer, parsePeers } from "../lib/core/peers.ts";
import { parseMachineArgs, UsageError } from "../lib/cli/machine_args.ts";

Deno.test("parsePeers reads host:port lists and bracketed IPv6", () => {
  assert.deepEqual(parsePeers("127.0.0.1:5002, localhost:5003,[::1]:5004"), [
    { host: "127.0.0.1", port: 5002 },
    { host: "localhost", port: 5003 },
    { host: "::1", port: 5004 },
  ]);
  assert.deepEqual(parsePeers(""), []);
  assert.equal(formatPeer({ host: "::1", port: 5004 }), "[::1]:5004");
});

Deno.test("parsePeers names the malformed entry instead of running isolated", () => {
  for (const bad of ["127.0.0.1", "host:0", "host:70000", "::1:5002", "a b:1", "127.0.0.1:5002,"]) {
    assert.throws(() => parsePeers(bad), /Cannot parse peer: current value is/, bad);
  }
  assert.throws(() => parsePeers("127.0.0.1:5002,oops"), /current value is "oops"/);
});

Deno.test("parseMachineArgs keeps the original flags and defaults", () => {
  const a = parseMachineArgs(["--id", "1", "--port", "5001", "--peers", "127.0.0.1:5002"], {
    randomSeed: () => 99,
  });
  assert.equal(a.control, false);
  assert.deepEqual(a.node, {
    id: 1,
    port: 5001,
    peers: [{ host: "127.0.0.1", port: 5002 }],
    log: "machine.log",
    duration: 60,
    bind: "127.0.0.1",
    seed: 99,
    rate: undefined,
    rateRange: [1, 6],
    dieSides: 10,
    startAt: undefined,
    drainMs: 300,
    connectTimeoutMs: 2000,
    maxQueue: 10000,
    maxClockJump: undefined,
    maxInbound: undefined,
    helloTimeoutMs: undefined,
    idleTimeoutMs: undefined,
    maxReceiveQueue: undefined,
  });
  assert.equal(a.secretFile, undefined);
  const b = parseMachineArgs([
    "--id=2",
    "--port=0",
    "--duration=0.5",
    "--rate=5000",
    "--seed=7",
    "--die-sides=5",
    "--control",
  ]);
  assert.equal(b.node.duration, 0.5);
  assert.equal(b.node.rate, 5000);
  assert.equal(b.node.seed, 7);
  assert.equal(b.node.dieSides, 5);
  assert.equal(b.control, true);
});

Deno.test("parseMachineArgs rejects bad values with the flag and current value", () => {
  const cases: [string[], RegExp][] = [
    [["--port", "1"], /--id is required/],
    [["--id", "1"], /--port is required/],
    [["--id", "x", "--port", "1"], /Cannot use --id: current value is "x"/],
    [["--id", "1", "--port", "70000"], /--port: current value is "70000"/],
    [["--id", "1", "--port", "1", "--duration=-2"], /--duration: current value is "-2"/],
    [["--id", "1", "--port", "1", "--duration", "-2"], /--duration.*ambiguous/],
    [["--id", "1", "--port", "1", "--rate", "0"], /--rate: current value is "0"/],
    [["--id", "1", "--port", "1", "--die-sides", "2"], /--die-sides: current value is "2"/],
    [
      ["--id", "1", "--port", "1", "--peers", "nope"],
      /--peers: Cannot parse peer: current value is "nope"/,
    ],
    [
      ["--id", "1", "--port", "1", "--rate-min", "4", "--rate-max", "2"],
      /--rate-max: current value is 2/,
    ],
    [["--id", "1", "--port", "1", "--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, re] of cases) {
    assert.throws(
      () => parseMachineArgs(args),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      args.join(" "),
    );
  }
});

import assert from "node:assert/strict";
import { formatPeer, parsePeers } from "../lib/core/peers.ts";
import { UsageError } from "../lib/cli/machine_args.ts";
import { parseRunArgs } from "./support/machine_args.ts";

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
    assert.throws(
      () => parsePeers(bad),
      /Cannot parse peer ".*" as it must be \[legacy:\]\[id@\]host:port/,
      bad,
    );
  }
  assert.throws(() => parsePeers("127.0.0.1:5002,oops"), /Cannot parse peer "oops"/);
});

Deno.test("parseMachineArgs keeps the original flags and defaults", () => {
  const a = parseRunArgs(["--id", "1", "--port", "5001", "--peers", "127.0.0.1:5002"], {
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
  const b = parseRunArgs([
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
  assert.equal(b.node.holdLinks, undefined);
  const held = parseRunArgs(["--id", "3", "--port", "0", "--control", "--hold-links"]);
  assert.equal(held.node.holdLinks, true);
  assert.throws(
    () => parseRunArgs(["--id", "3", "--port", "0", "--hold-links"]),
    {
      name: "UsageError",
      message: 'Cannot use --hold-links without --control as only the parent\'s "link" command ' +
        "starts the links: current value is --hold-links alone (add --control, or drop " +
        "--hold-links)",
    },
  );
});

Deno.test("parseMachineArgs rejects bad values with the flag and current value", () => {
  const cases: [string[], RegExp][] = [
    [
      ["--port", "1"],
      /^Cannot start machine\.ts as --id is required \(machine id, an integer >= 0\): current value is missing$/,
    ],
    [["--id", "1"], /^Cannot start machine\.ts as --port is required/],
    [
      ["--id", "x", "--port", "1"],
      /^Cannot use --id as it must be an integer >= 0: current value is "x"$/,
    ],
    [
      ["--id", "1", "--port", "70000"],
      /^Cannot use --port as it must be an integer 1\.\.65535, or 0 for any free port: current value is 70000$/,
    ],
    [
      ["--id", "1", "--port", "1", "--duration=-2"],
      /^Cannot use --duration as it must be a number 0\.\.1000000: current value is -2$/,
    ],
    [
      ["--id", "1", "--port", "1", "--duration", "-2"],
      /^Cannot use --duration as it must be a number 0\.\.1000000: current value is -2$/,
    ],
    [
      ["--id", "1", "--port", "1", "--duration"],
      /^Cannot use --duration: its value is missing \(want --duration S\)$/,
    ],
    [
      ["--id", "1", "--port", "1", "--rate", "0"],
      /^Cannot use --rate as it must be a number > 0 and <= 1000000: current value is 0$/,
    ],
    [
      ["--id", "1", "--port", "1", "--rate", "1e7"],
      /^Cannot use --rate as it must be a number > 0 and <= 1000000: current value is "1e7"$/,
    ],
    [
      ["--id", "1", "--port", "1", "--die-sides", "2"],
      /^Cannot use --die-sides as it must be an integer >= 3: current value is 2$/,
    ],
    [
      ["--id", "1", "--port", "1", "--peers", "nope"],
      /^Cannot use --peers: cannot parse peer "nope" as it must be \[legacy:\]\[id@\]host:port/,
    ],
    [
      ["--id", "1", "--port", "1", "--rate-min", "4", "--rate-max", "2"],
      /^Cannot use --rate-max as it must be >= --rate-min \(4\): current value is 2$/,
    ],
    [
      ["--id", "1", "--port", "1", "--bogus"],
      /^Cannot use --bogus: it is not a flag of machine\.ts$/,
    ],
    [
      ["--id", "1", "--port", "1", "--rat", "5"],
      /^Cannot use --rat: it is not a flag of machine\.ts \(did you mean --rate\?\)$/,
    ],
    [
      ["--id", "1", "--port", "1", "--quiet=yes"],
      /^Cannot use --quiet=yes: --quiet takes no value/,
    ],
    [
      ["--id", "1", "--port", "1", "extra"],
      /^Cannot use argument "extra": machine\.ts takes flags only/,
    ],
  ];
  for (const [args, re] of cases) {
    assert.throws(
      () => parseRunArgs(args),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      args.join(" "),
    );
  }
});

Deno.test("parseMachineArgs refuses this node as its own peer (own id, or own port on its address)", () => {
  const own = /Cannot use --peers as it must list the other nodes only: current value lists /;
  const cases: [string[], RegExp | null][] = [
    [["--peers", "localhost:5001"], own],
    [["--peers", "127.0.0.1:5002,127.0.0.1:5001"], /lists 127\.0\.0\.1:5001, which is this node/],
    [["--peers", "1@127.0.0.1:5009"], /which has the id of this node \(--id 1\)$/],
    [["--bind", "0.0.0.0", "--peers", "[::1]:5001"], own],
    [["--bind", "::1", "--peers", "[::1]:5001"], own],
    [["--peers", "127.0.0.2:5001"], null], // another loopback address: another socket
    [["--bind", "127.0.0.2", "--peers", "127.0.0.1:5001"], null],
    [["--peers", "10.0.0.7:5001"], null], // another host, same port
  ];
  for (const [extra, re] of cases) {
    const args = ["--id", "1", "--port", "5001", ...extra];
    if (re === null) parseRunArgs(args);
    else assert.throws(() => parseRunArgs(args), re, extra.join(" "));
  }
  parseRunArgs(["--id", "1", "--port", "0", "--peers", "127.0.0.1:5001"]); // port not known yet
});

/**
 * The cluster file: its parse and checks (file:line:column errors), the flags it gives
 * `machine.ts` (command-line flags override), the nodes `run_machine.ts` starts on this host,
 * `--id-from-hostname`, and the shipped `cluster.example.jsonc`, run for real.
 */
import assert from "node:assert/strict";
import { parseClusterFile } from "../lib/cli/cluster_file.ts";
import {
  CLUSTER_FILE_KEYS,
  clusterNodeArgs,
  idFromHostname,
  localNodes,
  readClusterFile,
} from "../lib/cli/cluster_nodes.ts";
import { parseMachineArgs } from "../lib/cli/machine_args.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { nodeArgs } from "../lib/cluster/command.ts";
import { planNodes } from "../lib/cluster/plan.ts";
import { readLog } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const EXAMPLE = `${ROOT}cluster.example.jsonc`;

function parse(text: string) {
  return parseClusterFile(text, { path: "c.jsonc" });
}

const THREE = `{
  "duration": 5,
  "nodes": [
    {"id": 1, "host": "127.0.0.1", "port": 5001},
    {"id": 2, "host": "localhost", "port": 5002, "rate": 3},
    {"id": 3, "host": "192.0.2.30", "port": 5003, "legacy": true},
  ],
}`;

Deno.test("cluster file: every bad file is one error naming file:line:column and what to do", () => {
  const cases: [string, string][] = [
    ['{"nodes": [', "c.jsonc:1:12: Cannot parse the cluster file: close bracket expected"],
    ['{"duration": 5 "nodes": []}', "c.jsonc:1:16: Cannot parse the cluster file: comma expected"],
    ["[]", 'c.jsonc:1:1: Cannot read the cluster file as it must be an object: {"nodes": [...]}'],
    ['{"duration": 5}', 'c.jsonc:1:1: Cannot read the cluster file as "nodes" is missing'],
    ['{"nodes": []}', 'c.jsonc:1:11: Cannot use "nodes" as it must be a non-empty array'],
    [
      '{"durtion": 5, "nodes": []}',
      'c.jsonc:1:2: Cannot use key "durtion": it is not a setting of a cluster file (did you mean "duration"?)',
    ],
    [
      '{\n  "die_sides": 2, "nodes": []}',
      'c.jsonc:2:16: Cannot use "die_sides" as it must be an integer >= 3: current value is 2',
    ],
    [
      '{"duration": "long", "nodes": []}',
      'c.jsonc:1:14: Cannot use "duration" as it must be a number 0..1000000: current value is "long"',
    ],
    [
      '{"rate": 2, "nodes": []}',
      'c.jsonc:1:2: Cannot use "rate" at the top level: it is set per node (put it in each node)',
    ],
    [
      '{"quiet": true, "nodes": []}',
      'c.jsonc:1:2: Cannot use key "quiet" in a cluster file: it is a command-line flag only (--quiet)',
    ],
    [
      '{"nodes": [{"id": 1, "host": "h", "port": 5001, "duration": 3}]}',
      'c.jsonc:1:49: Cannot use "duration" in node 1: it is shared by every node (put it at the top level)',
    ],
    [
      '{"nodes": [{"id": 1, "port": 5001}]}',
      'c.jsonc:1:12: Cannot read a node of "nodes" as "host" is missing',
    ],
    [
      '{"nodes": [{"id": 1, "host": "h", "port": 0}]}',
      'c.jsonc:1:43: Cannot use "port" of node 1 as it must be an integer 1..65535: current value is 0',
    ],
    [
      '{"nodes": [{"id": 1, "host": "h a", "port": 1}]}',
      'c.jsonc:1:30: Cannot use "host" of node 1 as it must be a host name or IP address',
    ],
    [
      '{"nodes": [{"id": 1, "host": "h", "port": 1}, {"id": 1, "host": "h", "port": 2}]}',
      'c.jsonc:1:47: Cannot use "id" 1 twice: current value is given by nodes 1 and 2 of "nodes" (want each id once)',
    ],
    [
      '{"nodes": [{"id": 1, "host": "localhost", "port": 1}, {"id": 2, "host": "127.0.0.1", "port": 1}]}',
      "c.jsonc:1:55: Cannot use 127.0.0.1:1 for node 2: current value is also node 1's address",
    ],
    [
      '{"nodes": [{"id": 1, "host": "h", "port": 1, "id": 2}]}',
      'c.jsonc:1:46: Cannot use key "id" twice in one object (want it once)',
    ],
    [
      '{"nodes": [{"id": 1, "host": "h", "port": 1, "legacy": true, "rate": 2}]}',
      'c.jsonc:1:62: Cannot use "rate" in node 1 as it is a legacy (original Python) node',
    ],
    [
      '{"secret_file": "s", "nodes": [{"id": 1, "host": "h", "port": 1}, {"id": 2, "host": "h", "port": 2, "legacy": true}]}',
      'c.jsonc:1:1: Cannot use legacy node 2 with "secret_file" as it cannot authenticate: current value of "allow_legacy" is false',
    ],
    [
      '{"rate_min": 5, "rate_max": 2, "nodes": [{"id": 1, "host": "h", "port": 1}]}',
      'c.jsonc:1:1: Cannot use "rate_max" as it must be >= "rate_min" (5): current value is 2',
    ],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parse(text), (err: Error) => {
      assert.ok(
        err.message.startsWith(message),
        `${text}\n  got:  ${err.message}\n  want: ${message}`,
      );
      return true;
    });
  }
});

Deno.test("cluster file: keys are the flag table's names; relative paths are relative to the file", () => {
  assert.ok(CLUSTER_FILE_KEYS.shared.includes("die_sides"));
  assert.ok(CLUSTER_FILE_KEYS.shared.includes("secret_file"));
  assert.ok(CLUSTER_FILE_KEYS.shared.includes("start_at"));
  assert.deepEqual(CLUSTER_FILE_KEYS.node, [
    "id",
    "host",
    "port",
    "legacy",
    "log",
    "bind",
    "seed",
    "rate",
  ]);
  const file = parseClusterFile(
    `{"secret_file": "keys/s.key", "nodes": [{"id": 1, "host": "h", "port": 1, "log": "/abs/m.log"},
      {"id": 2, "host": "h", "port": 2, "log": "logs/m2.log"}]}`,
    { path: "conf/c.jsonc" },
  );
  assert.equal(file.shared.get("secret-file"), "conf/keys/s.key");
  assert.equal(file.nodes[0].settings.get("log"), "/abs/m.log");
  assert.equal(file.nodes[1].settings.get("log"), "conf/logs/m2.log");
});

Deno.test("machine.ts --cluster: node --id's port and peers from the file, command-line flags override", () => {
  const file = parse(THREE);
  const readCluster = () => file;
  const args = parseMachineArgs(["--cluster", "c.jsonc", "--id", "1"], { readCluster });
  assert.ok(!args.help);
  assert.equal(args.node.port, 5001);
  assert.equal(args.node.bind, "127.0.0.1");
  assert.equal(args.node.duration, 5);
  assert.deepEqual(args.node.peers, [
    { host: "localhost", port: 5002, id: 2 },
    { host: "192.0.2.30", port: 5003, id: 3, legacy: true },
  ]);
  const two = parseMachineArgs([
    "--cluster",
    "c.jsonc",
    "--id",
    "2",
    "--duration",
    "1",
    "--rate",
    "9",
  ], {
    readCluster,
  });
  assert.ok(!two.help);
  assert.equal(two.node.duration, 1);
  assert.equal(two.node.rate, 9);
  assert.throws(() => parseMachineArgs(["--cluster", "c.jsonc", "--id", "7"], { readCluster }), {
    message:
      'Cannot use --id 7 as it must be the id of a node of "c.jsonc" (1, 2, 3): current value is 7',
  });
  assert.throws(
    () => parseMachineArgs(["--cluster", "c.jsonc", "--id", "3"], { readCluster }),
    /node 3 of "c.jsonc" is a legacy \(original Python\) node/,
  );
  assert.throws(
    () =>
      parseMachineArgs(["--cluster", "c.jsonc", "--id", "1", "--peers", "h:1"], { readCluster }),
    /Cannot use --peers with --cluster as the cluster file lists the peers/,
  );
  assert.throws(
    () => parseMachineArgs(["--cluster", "c.jsonc"], { readCluster }),
    /--id is required/,
  );
});

Deno.test("--id-from-hostname: a StatefulSet pod's ordinal + 1, alone or with --cluster", () => {
  assert.equal(idFromHostname("machine-0"), 1);
  assert.equal(idFromHostname("machine-2"), 3);
  assert.equal(idFromHostname("lab-machine-10.machine.lab.svc.cluster.local"), 11);
  for (const bad of ["machine", "machine-", "machine-x", "0"]) {
    assert.throws(() => idFromHostname(bad), /must end in -<ordinal>/);
  }
  const file = parse(THREE);
  const args = parseMachineArgs(["--cluster", "c.jsonc", "--id-from-hostname"], {
    readCluster: () => file,
    hostname: () => "machine-1",
  });
  assert.ok(!args.help);
  assert.equal(args.node.id, 2);
  assert.equal(args.node.port, 5002);
  const alone = parseMachineArgs(["--id-from-hostname", "--port", "5001"], {
    hostname: () => "m-4",
  });
  assert.ok(!alone.help);
  assert.equal(alone.node.id, 5);
  assert.throws(
    () =>
      parseMachineArgs(["--id", "1", "--id-from-hostname", "--port", "1"], {
        hostname: () => "m-0",
      }),
    /Cannot use both --id and --id-from-hostname/,
  );
});

Deno.test("run_machine --cluster: the non-legacy nodes on this host (loopback, its addresses, its name)", () => {
  const file = parseClusterFile(
    `{"nodes": [
      {"id": 1, "host": "127.0.0.1", "port": 5001},
      {"id": 2, "host": "LAB-2.example.org", "port": 5001},
      {"id": 3, "host": "192.0.2.30", "port": 5001},
      {"id": 4, "host": "localhost", "port": 5004, "legacy": true}]}`,
    { path: "c.jsonc" },
  );
  const ids = (host: { hostname: string; addresses: string[] } | null) =>
    localNodes(file, host).map((n) => n.id);
  assert.deepEqual(ids(null), [1]);
  assert.deepEqual(ids({ hostname: "lab-2", addresses: ["127.0.0.1", "::1"] }), [1, 2]);
  assert.deepEqual(ids({ hostname: "other", addresses: ["192.0.2.30"] }), [1, 3]);
  const o = parseClusterArgs(["--cluster", "c.jsonc", "--seed", "5", "--duration", "3"], {
    readCluster: () => file,
    thisHost: () => ({ hostname: "lab-2", addresses: [] }),
  });
  assert.deepEqual(o.fileNodes?.map((n) => n.id), [1, 2]);
  assert.equal(o.duration, 3);
  assert.equal(o.secretFile, null, "nodes elsewhere cannot share a secret made here");
  const [first] = planNodes("logs/r", o);
  const argv = nodeArgs(first, { ...o, secretFile: undefined });
  assert.deepEqual(argv.slice(-6), [
    "--duration",
    "3",
    "--log",
    "logs/r/machine_1.log",
    "--control",
    "--hold-links",
  ]);
  assert.ok(argv.join(" ").includes(",legacy:4@localhost:5004 "), argv.join(" "));
  const parsed = parseMachineArgs(argv.filter((a) => a !== "--control" && a !== "--hold-links"));
  assert.ok(!parsed.help);
  assert.equal(parsed.node.duration, 3, "run_machine's --duration overrides the file");
  assert.throws(
    () => parseClusterArgs(["--cluster", "c.jsonc", "--count", "2"], { readCluster: () => file }),
    /Cannot use --count with --cluster as the cluster file lays out the nodes/,
  );
  assert.throws(
    () =>
      parseClusterArgs(["--cluster", "c.jsonc"], {
        readCluster: () => parse(`{"nodes": [{"id": 1, "host": "192.0.2.1", "port": 1}]}`),
        thisHost: () => ({ hostname: "x", addresses: ["192.0.2.9"] }),
      }),
    /Cannot start the nodes of "c.jsonc" on this host as none of them is here: current hosts are 192.0.2.1/,
  );
});

Deno.test("cluster.example.jsonc parses, and run_machine --cluster runs its 3 nodes to END", async () => {
  const file = readClusterFile(EXAMPLE);
  assert.deepEqual(file.nodes.map((n) => [n.id, n.port]), [[1, 5001], [2, 5002], [3, 5003]]);
  assert.deepEqual(clusterNodeArgs(file, 3).slice(0, 8), [
    "--id",
    "3",
    "--port",
    "5003",
    "--bind",
    "127.0.0.1",
    "--peers",
    "1@127.0.0.1:5001,2@127.0.0.1:5002",
  ]);
  // The example on free ports (5001-5003 may be taken on a developer's machine).
  const dir = Deno.makeTempDirSync();
  try {
    const ports = freePorts(3);
    let text = Deno.readTextFileSync(EXAMPLE);
    ports.forEach((p, i) => (text = text.replace(`"port": ${5001 + i}`, `"port": ${p}`)));
    Deno.writeTextFileSync(`${dir}/cluster.jsonc`, text);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-run=deno",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        "--allow-sys=networkInterfaces,hostname",
        `${ROOT}run_machine.ts`,
        ...["--cluster", `${dir}/cluster.jsonc`, "--logs-dir", `${dir}/logs`, "--duration", "1.5"],
        "--quiet",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    for (const id of [1, 2, 3]) {
      const events = readLog(`${dir}/logs/machine_${id}.log`);
      assert.equal(events[0].event, "STARTUP");
      assert.equal(events.at(-1)?.event, "END");
      const startup = events[0] as { port: number; seed: number; peers: string[] };
      assert.equal(startup.port, ports[id - 1]);
      assert.equal(startup.peers.length, 2);
      if (id === 3) assert.equal(startup.seed, 7, "the file's seed");
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/**
 * Mixed clusters: our nodes with a stand-in for the original `machine.py`
 * (tests/support/original_machine.py, written from the original README: bare integers, one
 * connection per message, the original log schema), over loopback. Messages flow both ways;
 * ours to the original are UNCONFIRMED (no ack possible), never delivered; the analyzer
 * checks conservation, C2 and latency among ours and only counts the rest (exit 3). Also:
 * a silent peer with a secret is reported, not switched; peers given as DNS names.
 */
import assert from "node:assert/strict";
import type { LogEvent } from "../lib/core/log_schema.ts";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { readLog } from "./support/log_check.ts";
import { figure, type NodeProc, spawnNode } from "./support/node_proc.ts";
import { freePorts } from "./support/ports.ts";

const STAND_IN = new URL("./support/original_machine.py", import.meta.url).pathname;
const NET = ["127.0.0.1", "localhost"];

/** Starts the stand-in of the original machine.py (python3, as in CI: see .ci/run). */
function spawnOriginal(
  o: { dir: string; id: number; port: number; peers: string; duration: number; rate: number },
): Deno.ChildProcess {
  const args = [
    STAND_IN,
    ...["--id", String(o.id), "--port", String(o.port), "--peers", o.peers],
    ...["--log", `${o.dir}/machine_${o.id}.log`, "--duration", String(o.duration)],
    ...["--rate", String(o.rate), "--bind", "127.0.0.1"],
  ];
  try {
    return new Deno.Command("python3", { args, stdout: "null", stderr: "piped" }).spawn();
  } catch (err) {
    throw new Error(
      "Cannot start python3 for the stand-in of the original machine.py: it is required by " +
        "this test (Debian: apt-get install python3; .ci/run installs it)",
      { cause: err },
    );
  }
}

function count(events: LogEvent[], pred: (e: LogEvent) => boolean): number {
  return events.filter(pred).length;
}

Deno.test("a mixed cluster with the original machine.py: messages flow both ways, ours to it are UNCONFIRMED, the analyzer counts what it cannot match", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "mixed_" });
  const [pA, pB, pC] = freePorts(3);
  const duration = 4;
  const nodes: NodeProc[] = [];
  let original: Deno.ChildProcess | null = null;
  try {
    original = spawnOriginal({
      dir,
      id: 3,
      port: pC,
      peers: `127.0.0.1:${pA},localhost:${pB}`,
      duration,
      rate: 10,
    });
    // Node 1 knows node 3 is an original node; node 2 finds out (it never answers a hello).
    nodes.push(
      await spawnNode({
        dir,
        id: 1,
        port: pA,
        peers: `2@localhost:${pB},legacy:3@127.0.0.1:${pC}`,
        rate: 10,
        duration,
        netHosts: NET,
        rss: false,
      }),
      await spawnNode({
        dir,
        id: 2,
        port: pB,
        peers: `1@127.0.0.1:${pA},3@localhost:${pC}`,
        rate: 10,
        duration,
        netHosts: NET,
        args: ["--connect-timeout", "400"],
        rss: false,
      }),
    );
    const [a, b] = await Promise.all(nodes.map((n) => n.finish()));
    const py = await original.output();
    original = null;
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(py.code, 0, new TextDecoder().decode(py.stderr));
    const c = readLog(`${dir}/machine_3.log`);
    assert.deepEqual([c[0].event, c.at(-1)?.event], ["STARTUP", "END"]);
    assert.deepEqual(Object.keys(c[0]), ["event", "system_time", "machine_id", "clock_rate"]);

    // Node 1: marked legacy from the start. Node 2: switched, said so in its log and stderr.
    const legacyA = a.events.filter((e) => e.event === "LEGACY_PEER");
    assert.equal(legacyA.length, 1);
    assert.match((legacyA[0] as { reason: string }).reason, /^marked legacy/);
    const legacyB = b.events.filter((e) => e.event === "LEGACY_PEER") as {
      peer: string;
      peer_id: number;
      reason: string;
    }[];
    assert.equal(legacyB.length, 1);
    assert.equal(legacyB[0].peer, `localhost:${pC}`);
    assert.equal(legacyB[0].peer_id, 3);
    assert.match(legacyB[0].reason, /never answered the hello.*switched to the legacy protocol/);
    assert.equal(
      b.stderr.split("\n").filter((l) => /switched to the legacy protocol/.test(l)).length,
      1,
      b.stderr,
    );

    // Ours → original: every message written is UNCONFIRMED, and the original received them.
    const unconfirmed = [a, b].map((r) => count(r.events, (e) => e.event === "UNCONFIRMED"));
    const received = count(c, (e) => e.event === "RECEIVE");
    assert.ok(unconfirmed[0] > 0 && unconfirmed[1] > 0, `UNCONFIRMED ${unconfirmed}`);
    assert.ok(received > 0 && received <= unconfirmed[0] + unconfirmed[1], `RECEIVE ${received}`);
    // Original → ours: bare integers, RECEIVE with from: null.
    const bare = [a, b].map((r) =>
      count(r.events, (e) => e.event === "RECEIVE" && e.from === null) +
      r.events.filter((e) => e.event === "END").flatMap((e) =>
        (e as { queued_msgs: { from: number | null }[] }).queued_msgs
      ).filter((q) => q.from === null).length
    );
    assert.ok(bare[0] > 0 && bare[1] > 0, `bare ${bare}`);

    const { summary: s } = analyzeLogs([dir]);
    assert.equal(s.log_schema, "mixed");
    assert.equal(s.status, "incomplete");
    const check = (id: string) => s.checks.find((k) => k.id === id)!;
    for (const id of ["conservation", "c2_matched"]) {
      assert.ok(check(id).available && check(id).checked > 0 && check(id).failed === 0, id);
      assert.match(check(id).note!, /on the messages among the logs with message ids/);
    }
    const m = s.messages!;
    assert.ok(m.matched > 0 && m.latency !== null);
    assert.equal(m.unaccounted + m.unlogged + m.orphans, 0, JSON.stringify(m));
    const l = s.legacy!;
    assert.equal(l.unconfirmed, unconfirmed[0] + unconfirmed[1]);
    assert.equal(l.sent_to_original, l.unconfirmed + l.undelivered + l.fate_unknown);
    assert.equal(l.fate_unknown, 0);
    assert.equal(l.received_from_original, bare[0] + bare[1]);
    assert.deepEqual(l.counts.map((k) => [k.machine_id, k.schema, k.holds]), [
      [3, "original", true],
      [1, "ours", true],
      [2, "ours", true],
    ]);
    assert.equal(l.counts[0].received, received);
    assert.match(
      s.incomplete_reasons.join("\n"),
      /sent to original \(legacy\) nodes cannot be checked/,
    );
    figure(
      `mixed cluster (2 ours + 1 original, ${duration} s at 10 ticks/s): ours→original ` +
        `${l.unconfirmed} unconfirmed (legacy peer), original received ${received}; ` +
        `original→ours ${l.received_from_original} bare integers; ${m.matched} of ${m.sent} ` +
        `matched among ours; node 2 switched after ${
          ((legacyB[0] as unknown as { system_time: number }).system_time -
            (b.events[0] as { system_time: number }).system_time).toFixed(2)
        } s`,
    );
  } finally {
    nodes.forEach((n) => n.kill());
    try {
      original?.kill("SIGKILL");
      await original?.output();
    } catch { /* exited */ }
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("with a secret, a peer that never answers the hello is reported (log and stderr), never switched", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "mixed_secret_" });
  const [pA, pC] = freePorts(2);
  let original: Deno.ChildProcess | null = null;
  try {
    original = spawnOriginal({ dir, id: 3, port: pC, peers: "", duration: 3, rate: 5 });
    const node = await spawnNode({
      dir,
      id: 1,
      port: pA,
      peers: `3@127.0.0.1:${pC}`,
      rate: 20,
      duration: 1.5,
      args: ["--connect-timeout", "200"],
      env: { LAMPORT_SECRET: "0123456789abcdef0123456789abcdef" },
      rss: false,
    });
    const r = await node.finish();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(count(r.events, (e) => e.event === "LEGACY_PEER" || e.event === "UNCONFIRMED"), 0);
    const reports = r.events.filter((e) =>
      e.event === "PROTOCOL_ERROR" && /never answered the hello/.test(e.reason)
    );
    assert.equal(reports.length, 1);
    assert.match(
      (reports[0] as { reason: string }).reason,
      /not switched to the legacy protocol as this node has a secret \(mark it legacy:127\.0\.0\.1:\d+ and give --allow-legacy/,
    );
    assert.equal(r.stderr.split("\n").filter((l) => /never answered the hello/.test(l)).length, 1);
    const sends = r.events.filter((e) => e.event === "SEND").length;
    assert.equal(count(r.events, (e) => e.event === "UNDELIVERED"), sends, "every message named");
  } finally {
    try {
      original?.kill("SIGKILL");
      await original?.output();
    } catch { /* exited */ }
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("machine.ts: a legacy peer with a secret needs --allow-legacy (exit 2 naming it)", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env=LAMPORT_SECRET",
      new URL("../machine.ts", import.meta.url).pathname,
      ...["--id", "1", "--port", "0", "--peers", "legacy:3@127.0.0.1:5003"],
    ],
    env: { LAMPORT_SECRET: "0123456789abcdef0123456789abcdef" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.equal(
    new TextDecoder().decode(out.stderr),
    "machine.ts: Cannot use legacy peer legacy:3@127.0.0.1:5003 as it cannot authenticate and " +
      "this node has a secret: current value of --allow-legacy is off (give --allow-legacy to " +
      "accept what that gives up; see docs/mixed_clusters.md)\n",
  );
});

Deno.test("peers given as DNS names: resolved at each connect, so a peer that starts late links", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "dns_" });
  const [pA, pB] = freePorts(2);
  const nodes: NodeProc[] = [];
  try {
    nodes.push(
      await spawnNode({
        dir,
        id: 1,
        port: pA,
        peers: `2@localhost:${pB}`,
        duration: 2.5,
        netHosts: NET,
        rss: false,
      }),
    );
    await new Promise((r) => setTimeout(r, 700)); // node 1's first connects are refused
    nodes.push(
      await spawnNode({
        dir,
        id: 2,
        port: pB,
        peers: `1@localhost:${pA}`,
        duration: 1.5,
        netHosts: NET,
        rss: false,
      }),
    );
    const [a, b] = await Promise.all(nodes.map((n) => n.finish()));
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    for (const [r, peer] of [[a, `localhost:${pB}`], [b, `localhost:${pA}`]] as const) {
      const up = r.events.find((e) => e.event === "LINK_UP" && e.direction === "out");
      assert.equal((up as { peer: string } | undefined)?.peer, peer);
      assert.ok(r.events.some((e) => e.event === "RECEIVE" && e.from !== null));
    }
    const { summary: s } = analyzeLogs([dir]);
    assert.equal(s.messages!.unaccounted, 0);
  } finally {
    nodes.forEach((n) => n.kill());
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("--log - writes the log to stdout and nothing else; status lines stay on stderr", async () => {
  const machine = new URL("../machine.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", machine, "--id", "4", "--port", "0"].concat(
      ["--log", "-", "--duration", "0.6", "--rate", "20"],
    ),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const lines = new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
  const events = lines.map((l) => JSON.parse(l) as LogEvent);
  assert.equal(events[0].event, "STARTUP");
  assert.equal(events.at(-1)!.event, "END");
  assert.ok(events.every((e) => e.machine_id === 4 && typeof e.system_time === "number"));
  assert.ok(events.length >= 8, `${events.length} events`);
  const refused = await new Deno.Command(Deno.execPath(), {
    args: ["run", machine, "--id", "4", "--port", "0", "--log", "-", "--control"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(refused.code, 2);
  assert.equal(new TextDecoder().decode(refused.stdout), "");
  assert.match(
    new TextDecoder().decode(refused.stderr),
    /Cannot use --log - with --control as both would write to stdout/,
  );
});

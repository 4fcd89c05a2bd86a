/**
 * Faults around real nodes (machine.ts subprocesses): a stopped and continued node, a peer
 * 5 s late, a peer that never exists, a full disk (a 64 KiB tmpfs, root only). Network
 * partitions are in partition_test.ts. Each prints one `figure:` line (RELIABILITY.md).
 */
import assert from "node:assert/strict";
import { runAnalyzer } from "./support/analyzer.ts";
import { accountMessages } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";
import { clockProblems, figure, only, sleep, spawnNode } from "./support/node_proc.ts";
import type { LogEvent } from "../lib/core/log_schema.ts";

function endOf(events: LogEvent[]) {
  const end = events.at(-1)!;
  assert.equal(end.event, "END");
  return end as Extract<LogEvent, { event: "END" }>;
}

Deno.test("fault: SIGSTOP for 2 s then SIGCONT: the node catches up every tick, nothing is lost", async () => {
  const dir = Deno.makeTempDirSync();
  const [pa, pb] = freePorts(2);
  const common = { dir, duration: 5, rss: false, args: ["--die-sides", "3"] };
  const [a, b] = await Promise.all([
    spawnNode({ ...common, id: 1, port: pa, rate: 50, peers: `2@127.0.0.1:${pb}` }),
    spawnNode({ ...common, id: 2, port: pb, rate: 100, peers: `1@127.0.0.1:${pa}` }),
  ]);
  await sleep(1500);
  Deno.kill(b.pid, "SIGSTOP");
  await sleep(2000);
  Deno.kill(b.pid, "SIGCONT");
  const [ra, rb] = await Promise.all([a.finish(), b.finish()]);
  for (const r of [ra, rb]) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(endOf(r.events).reason, "completed");
    assert.equal(r.ticks, r.expectedTicks);
  }
  const acc = accountMessages([ra.events, rb.events]);
  assert.deepEqual(acc.unaccounted, []);
  assert.equal(acc.duplicates, 0);
  assert.deepEqual(acc.clockViolations, []);
  figure(
    `SIGSTOP 2 s / SIGCONT: stopped node did ${rb.ticks}/${rb.expectedTicks} ticks, ` +
      `${acc.sent} messages, 0 unaccounted`,
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("fault: a peer 5 s late gets every message queued for it", async () => {
  const dir = Deno.makeTempDirSync();
  const [pa, pb] = freePorts(2);
  const args = ["--die-sides", "3"];
  const a = await spawnNode({
    dir,
    id: 1,
    port: pa,
    rate: 20,
    duration: 8.5, // its reconnect backoff reaches 2 s: B is found within 2 s of coming up
    args,
    peers: `2@127.0.0.1:${pb}`,
  });
  await sleep(5000);
  const b = await spawnNode({
    dir,
    id: 2,
    port: pb,
    rate: 100,
    duration: 3.5,
    args,
    peers: `1@127.0.0.1:${pa}`,
  });
  const [ra, rb] = await Promise.all([a.finish(), b.finish()]);
  for (const r of [ra, rb]) {
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.ticks >= 0.99 * r.expectedTicks);
  }
  const upAt = only(ra.events, "LINK_UP").find((e) => e.direction === "out")!.system_time;
  const early = only(ra.events, "SEND").filter((e) => e.system_time < upAt);
  assert.ok(early.length >= 50, `${early.length} messages before the link`);
  assert.ok(early.every((e) => e.to[0] === 2), "ids from --peers name the recipient at once");
  const acc = accountMessages([ra.events, rb.events]);
  assert.deepEqual(acc.unaccounted, []);
  assert.equal(acc.duplicates, 0);
  const undelivered = only(ra.events, "UNDELIVERED").length;
  figure(
    `peer 5 s late: ${early.length} messages queued before it came up, ${acc.sent} in all, ` +
      `${undelivered} UNDELIVERED, 0 unaccounted`,
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("fault: a peer that never exists: every message to it is logged UNDELIVERED, END completed", async () => {
  const dir = Deno.makeTempDirSync();
  const [dead] = freePorts(1);
  const node = await spawnNode({
    dir,
    rate: 40,
    duration: 1.5,
    args: ["--die-sides", "3", "--connect-timeout", "200"],
    peers: `2@127.0.0.1:${dead}`,
  });
  const r = await node.finish();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(endOf(r.events).reason, "completed");
  const sends = only(r.events, "SEND");
  const undelivered = only(r.events, "UNDELIVERED");
  assert.equal(undelivered.length, sends.length);
  assert.ok(undelivered.every((e) => e.reason === "peer never connected" && e.to === 2));
  assert.equal(r.ticks, r.expectedTicks);
  figure(`peer never exists: ${sends.length} SEND, ${undelivered.length} UNDELIVERED, exit 0`);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("fault: a full disk (64 KiB tmpfs) ends the node cleanly: whole lines, END last, one stderr line, exit 1", async () => {
  const dir = Deno.makeTempDirSync();
  const mnt = `${dir}/mnt`;
  Deno.mkdirSync(mnt);
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt],
    stderr: "piped",
  }).output();
  if (!mount.success) {
    console.log(
      `skipped: cannot mount a tmpfs (needs root): ${new TextDecoder().decode(mount.stderr)}`,
    );
    Deno.removeSync(dir, { recursive: true });
    return;
  }
  try {
    const node = await spawnNode({ dir: mnt, rate: 2000, duration: 5, rss: false });
    const r = await node.finish();
    assert.equal(r.code, 1, r.stderr);
    const stderr = r.stderr.trim().split("\n");
    assert.equal(stderr.length, 1, r.stderr);
    assert.match(
      stderr[0],
      /Cannot write log file ".*machine_1\.log": no space left on device: \d+ lines not written \(\d+ INTERNAL.*\); the log ends with END$/,
    );
    const text = Deno.readTextFileSync(node.log);
    assert.ok(text.endsWith("\n"));
    const end = endOf(r.events); // readLog parsed every line: none is cut
    assert.equal(end.reason, "failed");
    assert.match(end.detail, /no space left on device/);
    assert.deepEqual(clockProblems(r.events, new Set()), []);
    assert.throws(() => Deno.statSync(`${node.log}.reserve`), Deno.errors.NotFound);
    const lost = Number(/(\d+) lines not written/.exec(stderr[0])![1]);
    figure(
      `full disk (64 KiB tmpfs): ${r.events.length} whole lines written (${text.length} bytes), ` +
        `${lost} not written, END failed, exit 1`,
    );
  } finally {
    await new Deno.Command("umount", { args: [mnt] }).output();
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Runs analyze_logs.ts on `logs` with `--json` into `out`; returns the exit code and summary. */
async function analyzeJson(logs: string[], out: string, extra: string[] = []) {
  const res = await runAnalyzer(
    ["--out", out, "--json", "--no-causality", ...extra, ...logs],
    out,
  );
  const text = res.stdout + res.stderr;
  return {
    code: res.code,
    text,
    summary: JSON.parse(Deno.readTextFileSync(`${out}/analysis_summary.json`)),
  };
}

Deno.test("fault: SIGKILL and restart of a node mid-run: one machine with two incarnations, nothing unaccounted", async () => {
  const dir = Deno.makeTempDirSync();
  const again = `${dir}/restart`; // the restarted node writes a new log file
  Deno.mkdirSync(again);
  const [p1, p2, p3] = freePorts(3);
  const args = ["--die-sides", "3"];
  const peersOf = (id: number) =>
    [[1, p1], [2, p2], [3, p3]].filter(([i]) => i !== id).map(([i, p]) => `${i}@127.0.0.1:${p}`)
      .join(",");
  const [a, b, c] = await Promise.all([1, 2, 3].map((id) =>
    spawnNode({
      dir,
      id,
      port: [p1, p2, p3][id - 1],
      rate: 20,
      duration: id === 3 ? 30 : 7,
      rss: false,
      args,
      peers: peersOf(id),
    })
  ));
  await sleep(2000);
  c.kill();
  const killed = await c.finish();
  assert.notEqual(killed.code, 0);
  assert.notEqual(killed.events.at(-1)?.event, "END", "a SIGKILLed node writes no END");
  await sleep(500);
  const c2 = await spawnNode({
    dir: again,
    id: 3,
    port: p3,
    rate: 20,
    duration: 3,
    rss: false,
    args,
    peers: peersOf(3),
  });
  const [ra, rb, rc] = await Promise.all([a.finish(), b.finish(), c2.finish()]);
  for (const r of [ra, rb, rc]) assert.equal(r.code, 0, r.stderr);
  const sessions = [killed, rc].map((r) => (r.events[0] as { session?: number }).session);
  assert.notEqual(sessions[0], sessions[1], "each incarnation has its own session");

  const logs = [a.log, b.log, c.log, c2.log];
  const strict = await analyzeJson(logs, `${dir}/strict`);
  assert.equal(strict.code, 3, `the killed incarnation has no END: incomplete\n${strict.text}`);
  const m3 = strict.summary.machines.find((m: { machine_id: number }) => m.machine_id === 3);
  assert.equal(strict.summary.machines.length, 3);
  assert.equal(m3.incarnations.length, 2);
  const msgs = strict.summary.messages;
  assert.equal(msgs.unaccounted, 0, strict.text);
  assert.equal(msgs.duplicates, 0, strict.text);
  assert.equal(msgs.orphans, 0, strict.text);
  const held = strict.summary.checks.filter((x: { failed: number }) => x.failed > 0);
  assert.deepEqual(held, [], "every clock check holds per incarnation");
  const lenient = await analyzeJson(logs, `${dir}/lenient`, ["--allow-incomplete"]);
  assert.equal(lenient.code, 0, lenient.text);
  figure(
    `SIGKILL + restart of node 3: 2 incarnations, ${msgs.sent} messages sent, ` +
      `${msgs.matched} matched, ${msgs.undelivered} undelivered, ${msgs.fate_unknown} fate unknown ` +
      `(taken by the killed incarnation, never logged), 0 unaccounted; exit 3, 0 with --allow-incomplete`,
  );
  Deno.removeSync(dir, { recursive: true });
});

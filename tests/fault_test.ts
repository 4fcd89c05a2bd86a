/**
 * Faults around real nodes (machine.ts subprocesses): a stopped and continued node, a peer
 * 5 s late, a peer that never exists, a full disk (a 64 KiB tmpfs, root only). Network
 * partitions are in partition_test.ts. Each prints one `figure:` line (RELIABILITY.md).
 */
import assert from "node:assert/strict";
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

/**
 * A network partition: three nodes in three network namespaces with their own addresses on
 * a bridge (in a fourth namespace), sharing a secret; node 2's link to the bridge is cut for 3 s
 * and restored.
 * Afterwards every message is accounted for, by the test's own accounting and by
 * analyze_logs.ts. Needs root and `ip netns` (Linux); skipped with a message otherwise.
 */
import assert from "node:assert/strict";
import { runAnalyzer } from "./support/analyzer.ts";
import { accountMessages } from "./support/log_check.ts";
import { figure, only, sleep, spawnNode } from "./support/node_proc.ts";

async function ip(...args: string[]): Promise<{ ok: boolean; err: string }> {
  const out = await new Deno.Command("ip", { args, stdout: "null", stderr: "piped" }).output();
  return { ok: out.success, err: new TextDecoder().decode(out.stderr).trim() };
}

async function must(...args: string[]): Promise<void> {
  const r = await ip(...args);
  if (!r.ok) throw new Error(`Cannot run "ip ${args.join(" ")}": ${r.err}`);
}

Deno.test("partition: node 2 cut off for 3 s and restored; every message accounted for", async () => {
  const tag = `lp${Deno.pid % 100000}`; // unique per test process; interface names <= 15 chars
  const ns = ["a", "b", "c"].map((n) => `${tag}${n}`);
  const br = `${tag}br`;
  const probe = await ip("netns", "add", br).catch((err) => ({ ok: false, err: String(err) }));
  if (!probe.ok) {
    console.log(
      `skipped: cannot create a network namespace (needs root and iproute2): ${probe.err}`,
    );
    return;
  }
  const dir = Deno.makeTempDirSync();
  const addr = (i: number) => `10.77.${Deno.pid % 200}.${i + 1}`;
  try {
    await must("-n", br, "link", "add", "br0", "type", "bridge");
    await must("-n", br, "link", "set", "br0", "up");
    for (let i = 0; i < 3; i++) {
      await must("netns", "add", ns[i]);
      await must("-n", ns[i], "link", "set", "lo", "up");
      await must(
        ...["link", "add", "eth0", "netns", ns[i], "type", "veth"],
        ...["peer", "name", `port${i}`, "netns", br],
      );
      await must("-n", br, "link", "set", `port${i}`, "master", "br0", "up");
      await must("-n", ns[i], "addr", "add", `${addr(i)}/24`, "dev", "eth0");
      await must("-n", ns[i], "link", "set", "eth0", "up");
    }
    const hosts = [0, 1, 2].map(addr);
    const secret = `${dir}/.secret`; // as a real deployment across hosts would
    Deno.writeTextFileSync(secret, "partition-test-secret-0123456789\n", { mode: 0o600 });
    const nodes = await Promise.all([0, 1, 2].map((i) =>
      spawnNode({
        dir,
        id: i + 1,
        port: 5001,
        bind: addr(i),
        netns: ns[i],
        netHosts: hosts,
        rate: [20, 30, 40][i],
        duration: 9,
        rss: false,
        args: ["--start-at", String(Date.now() + 1500), "--secret-file", secret],
        peers: [0, 1, 2].filter((j) => j !== i).map((j) => `${j + 1}@${addr(j)}:5001`).join(","),
      })
    ));
    await sleep(3000);
    await must("-n", br, "link", "set", "port1", "down");
    await sleep(3000);
    await must("-n", br, "link", "set", "port1", "up");
    const results = await Promise.all(nodes.map((n) => n.finish()));
    for (const r of results) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, ""); // a secret: no warning for the non-loopback address
      const end = r.events.at(-1)!;
      assert.ok(end.event === "END" && end.reason === "completed");
      assert.equal(r.ticks, r.expectedTicks);
    }
    const acc = accountMessages(results.map((r) => r.events));
    assert.deepEqual(acc.unaccounted, []);
    assert.equal(acc.duplicates, 0);
    assert.deepEqual(acc.clockViolations, []);
    const analyzed = await runAnalyzer(["--json", ...nodes.map((n) => n.log)], dir);
    const out = analyzed.stdout;
    assert.equal(analyzed.code, 0, out + analyzed.stderr);
    assert.match(out, /Checks: all \d+ available checks held/);
    const summary = JSON.parse(Deno.readTextFileSync(`${dir}/analysis_summary.json`));
    assert.equal(summary.messages.unaccounted, 0);
    const downList = results.flatMap((r) => only(r.events, "LINK_DOWN"));
    const downs = `${downList.length} LINK_DOWN (${
      [...new Set(downList.map((e) => e.reason))].join("; ")
    })`;
    figure(
      `partition of node 2 for 3 s: ${acc.sent} messages, ${acc.received} received, ` +
        `${acc.queuedAtEnd} queued at END, ${acc.undelivered} UNDELIVERED, 0 unaccounted ` +
        `(analyzer: unaccounted ${summary.messages.unaccounted}), ${downs}`,
    );
  } finally {
    for (const n of [...ns, br]) await ip("netns", "del", n);
    Deno.removeSync(dir, { recursive: true });
  }
});

/**
 * Logs collected from several hosts: one directory per host (given one by one, or their
 * parent), and the warning about wall clocks that differ between hosts (never a violation).
 */
import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { withEditedRun } from "./support/fixture_copy.ts";

const SMALL = "tests/fixtures/run_small";

/** Moves every time of a log by `s` seconds (its host's clock is off). */
function shift(s: number) {
  return (lines: string[]) =>
    lines.map((l) =>
      l.replace(/("(?:system_time|arrival_time)": )([\d.]+)/g, (_, k, v) => `${k}${Number(v) + s}`)
    ).join("\n") + "\n";
}

Deno.test("analyzeLogs(): a RECEIVE before its SEND by system_time is clock skew: one warning with the largest, no violation", async () => {
  await withEditedRun(SMALL, { "machine_2.log": shift(-3) }, (dir) => {
    const warnings: string[] = [];
    const { summary: s } = analyzeLogs([dir], { warn: (w) => warnings.push(w) });
    const skew = warnings.filter((w) => w.startsWith("clock skew between hosts"));
    assert.equal(skew.length, 1, warnings.join("\n"));
    assert.match(
      skew[0],
      /^clock skew between hosts: \d+ message\(s\) RECEIVEd before their SEND by system_time, by up to 2100\.0 ms \(SEND .*machine_1\.log:\d+ → RECEIVE .*machine_2\.log:\d+\); not a violation/,
    );
    assert.ok(s.messages!.skew!.count >= 1);
    assert.ok(s.checks.every((c) => c.failed === 0), JSON.stringify(s.checks));
  });
  const warnings: string[] = [];
  const { summary } = analyzeLogs([SMALL], { warn: (w) => warnings.push(w) });
  assert.equal(summary.messages!.skew, null);
  assert.ok(!warnings.some((w) => w.startsWith("clock skew")));
});

Deno.test("analyzeLogs(): logs collected per host, as several directories or their parent, read as one run", () => {
  const root = Deno.makeTempDirSync({ prefix: "collected_" });
  try {
    for (const [host, id] of [["host-a", 1], ["host-b", 2], ["host-c", 3]] as const) {
      Deno.mkdirSync(`${root}/${host}`);
      Deno.copyFileSync(`${SMALL}/machine_${id}.log`, `${root}/${host}/machine_${id}.log`);
    }
    const whole = analyzeLogs([SMALL]).summary;
    for (const args of [[root], [`${root}/host-a`, `${root}/host-b/`, `${root}/host-c`]]) {
      const { summary: s } = analyzeLogs(args);
      assert.equal(s.files.length, 3);
      assert.deepEqual(s.messages, whole.messages);
      assert.equal(s.status, whole.status);
    }
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { summaryMarkdown } from "../lib/analysis/summary_markdown.ts";
import { analysisErrorOf, runAnalyzer } from "./support/analyzer.ts";
import { append, withEditedRun } from "./support/fixture_copy.ts";

// Machine 3 was killed at t=1 (machine_3_first.log, session 111, no END) and restarted at
// t=1.5 (machine_3_second.log, session 222). Its new incarnation's seq starts at 1 again and
// it receives machine 2's seq 1 a second time (resent after the restart).
const RESTART = "tests/fixtures/restart";
const END_OF_FIRST =
  '{"event": "END", "system_time": 1764300001.05, "machine_id": 3, "final_clock": 5, "queued": 0, "queued_msgs": [], "reason": "stopped", "detail": "SIGTERM"}';

function round(x: number) {
  return Number(x.toFixed(3));
}

Deno.test("analyzeLogs(): a restarted node's two logs are one machine with two incarnations", () => {
  const { summary: s } = analyzeLogs([RESTART]);
  assert.deepEqual(s.machines.map((m) => m.machine_id), [1, 2, 3]);
  const m3 = s.machines[2];
  assert.deepEqual(
    m3.incarnations.map((
      i,
    ) => [i.session, round(i.start), round(i.end), i.finished, i.final_clock]),
    [[111, 0, 1, false, 5], [222, 1.5, 2.9, true, 8]],
  );
  assert.deepEqual([m3.final_clock, m3.finished, m3.end_reason], [8, false, "completed"]);
  assert.equal(m3.events.STARTUP, 2);
  // Clock checks per incarnation: the second starts again at 0 without a C1 violation.
  assert.deepEqual(
    s.checks.map((c) => [c.id, c.checked, c.failed]),
    [
      ["c1_chain", 14, 0],
      ["c1_increase", 14, 0],
      ["send_internal_plus_one", 8, 0],
      ["receive_rule", 6, 0],
      ["c2_matched", 5, 0],
      ["final_clock", 3, 0],
      ["conservation", 5, 0],
      ["lamport_linear_extension", 15, 0], // each incarnation is a process of its own
    ],
  );
});

Deno.test("analyzeLogs(): messages are matched per sender incarnation: a restarted seq is not a duplicate", () => {
  const { summary: s } = analyzeLogs([RESTART]);
  const m = s.messages!;
  assert.deepEqual(
    [m.sent, m.received, m.matched, m.redelivered, m.duplicates, m.orphans, m.unaccounted],
    [5, 6, 5, 1, 0, 0, 0],
  );
  assert.equal(m.fate_unknown, 0);
  // The first incarnation has no END: the run is incomplete for that reason only.
  assert.deepEqual(s.incomplete_reasons, [
    'machine 3 (incarnation 1 of 2, session 111) did not finish: "tests/fixtures/restart/machine_3_first.log" ends at t=1 s without END',
  ]);
  const md = summaryMarkdown(s);
  assert.match(
    md,
    /- machine 3: 2 incarnations; from t=0 s, session 111: \*\*no END\*\*; restarted at t=1\.5 s, session 222: END completed\n- The other 2 machines ran as one process each \(no restart\) and ended normally \(END reason "completed"\)\n/,
  );
  assert.match(md, /\| 3 \| 2 \| 8 \|.*\| \*\*1 of 2 incarnations without END\*\* \|/);
  assert.match(md, /Received again by a restarted recipient \(resent after its restart\): 1/);
});

Deno.test("analyzeLogs(): a restart whose first incarnation ended with END is verified", async () => {
  await withEditedRun(RESTART, { "machine_3_first.log": append(END_OF_FIRST) }, (dir) => {
    const { summary: s } = analyzeLogs([dir]);
    assert.deepEqual([s.status, s.incomplete_reasons], ["verified", []]);
    assert.deepEqual(
      s.machines[2].incarnations.map((i) => [i.end_reason, i.end_detail]),
      [["stopped", "SIGTERM"], ["completed", ""]],
    );
    assert.match(
      summaryMarkdown(s),
      /- machine 3: 2 incarnations; from t=0 s, session 111: END stopped \("SIGTERM"\); restarted at t=1\.5 s, session 222: END completed/,
    );
  });
});

Deno.test("analyzeLogs(): without the first incarnation's log, its messages are named as unlogged", () => {
  const files = ["machine_1.log", "machine_2.log", "machine_3_second.log"];
  const { summary: s } = analyzeLogs(files.map((f) => `${RESTART}/${f}`));
  const m = s.messages!;
  // Received from machine 3 session 111 (no log given), and sent to machine 3 before its only
  // log here starts: both depend on the missing log; neither is called lost. (Machine 2's seq 1
  // reached the second incarnation too: matched there.)
  assert.deepEqual([m.unlogged, m.matched, m.unaccounted, m.orphans], [2, 3, 0, 0]);
  assert.deepEqual(m.unlogged_examples, [
    "tests/fixtures/restart/machine_1.log:5: message from machine 3 session 111: no log of that incarnation here",
    "tests/fixtures/restart/machine_1.log:4: sent to machine 3 at t=0.2 s, before its first log here starts (t=1.5 s): the log of an earlier incarnation may be missing",
  ]);
  assert.equal(s.status, "incomplete");
});

Deno.test("analyzeLogs(): two logs of one machine that overlap in time, or share a session, are an error naming both", async () => {
  const first = `${RESTART}/machine_3_first.log`, second = `${RESTART}/machine_3_second.log`;
  await withEditedRun(RESTART, {
    "machine_3_first.log": append(END_OF_FIRST.replace("1.05", "1.6")),
  }, (dir) => {
    assert.equal(
      analysisErrorOf(() => analyzeLogs([dir])),
      `Cannot analyze "${dir}/machine_3_first.log" and "${dir}/machine_3_second.log" together: both are machine 3 and their times overlap (the first runs until 1764300001.6, the second starts at 1764300001.5), so they are not one node restarted (analyze one run at a time)`,
    );
  });
  const sameSession = (lines: string[]) =>
    [lines[0].replace('"session": 222', '"session": 111'), ...lines.slice(1)].join("\n") + "\n";
  await withEditedRun(RESTART, { "machine_3_second.log": sameSession }, (dir) => {
    assert.equal(
      analysisErrorOf(() => analyzeLogs([dir])),
      `Cannot analyze "${dir}/machine_3_first.log" and "${dir}/machine_3_second.log" together: both are machine 3 with session 111, and one node process cannot have two logs (the same log given twice?)`,
    );
  });
  assert.match(
    analysisErrorOf(() => analyzeLogs([first, first])),
    /both are machine 3 with session 111, and one node process cannot have two logs/,
  );
  assert.ok(second);
});

Deno.test("analyze_logs.ts draws a restarted machine's incarnations as rows of their own, named #1 and #2, exit 3", async () => {
  const out = Deno.makeTempDirSync();
  try {
    const r = await runAnalyzer([RESTART, "--out", out], out);
    const stdout = r.stdout;
    assert.equal(r.code, 3, r.stderr);
    assert.match(stdout, /machine 3 \(incarnation 1 of 2, session 111\) did not finish/);
    for (const f of ["analysis_spacetime.svg", "analysis_report.html", "analysis_summary.md"]) {
      assert.ok(Deno.statSync(`${out}/${f}`).size > 0, f);
    }
    const svg = Deno.readTextFileSync(`${out}/analysis_spacetime.svg`);
    const labels = [...svg.matchAll(/class="machine-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    assert.deepEqual(labels.map((l) => l.replace(/ · .*/, "")), [
      "machine 1",
      "machine 2",
      "machine 3 #1",
      "machine 3 #2",
    ]);
    const page = Deno.readTextFileSync(`${out}/analysis_report.html`);
    assert.match(page, /"name":"machine 3 #2"/);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

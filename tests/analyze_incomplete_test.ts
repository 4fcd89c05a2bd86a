import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { AnalysisError } from "../lib/analysis/errors.ts";
import { summaryMarkdown } from "../lib/analysis/summary_markdown.ts";
import { append, cutLastLine, dropLast, editLast, withEditedRun } from "./support/fixture_copy.ts";

const SMALL = "tests/fixtures/run_small";
function check(s: ReturnType<typeof analyzeLogs>["summary"], id: string) {
  return s.checks.find((c) => c.id === id)!;
}

Deno.test("analyzeLogs(): a complete run is verified, with no reasons", () => {
  const { summary: s } = analyzeLogs([SMALL]);
  assert.equal(s.schema_version, 2);
  assert.deepEqual([s.status, s.complete, s.incomplete_reasons], ["verified", true, []]);
  assert.match(summaryMarkdown(s), /^# Lamport clock analysis\n\n\*\*Status\*\*: verified: /);
});

Deno.test("analyzeLogs(): a log without END is incomplete, named with where it ends", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/unfinished"]);
  assert.equal(s.status, "incomplete");
  assert.deepEqual(s.incomplete_reasons, [
    'machine 2 did not finish: "tests/fixtures/unfinished/machine_2.log" ends at t=1 s without END',
    `1 message(s) of unknown fate (a log they depend on ends without END), e.g. tests/fixtures/unfinished/machine_3.log:8: fate unknown: recipient 2's log "tests/fixtures/unfinished/machine_2.log" ends at t=1 s without END`,
  ]);
  const md = summaryMarkdown(s);
  assert.match(md, /^# Lamport clock analysis\n\n\*\*Status\*\*: \*\*INCOMPLETE\*\*/);
  assert.ok(md.indexOf("machine 2 did not finish") < md.indexOf("## Summary Table"));
  assert.match(md, /holds for 5\/5; 1 not decidable \(fate unknown\)/);
});

Deno.test("analyzeLogs(): a truncated END (log cut mid-line) is incomplete; what it queued is of unknown fate", async () => {
  await withEditedRun(SMALL, { "machine_2.log": cutLastLine }, (dir) => {
    const { summary: s } = analyzeLogs([dir]);
    const m2 = s.machines[1];
    assert.deepEqual([m2.finished, m2.truncated_last_line, m2.final_clock], [false, true, 4]);
    assert.equal(s.status, "incomplete");
    assert.match(
      s.incomplete_reasons[0],
      /^machine 2 did not finish: ".*machine_2\.log" ends at t=2 s without END \(its last line is cut: was the node killed\?\)$/,
    );
    // (from 3, seq 2) was listed in the lost END's queue: now nothing tells its fate.
    assert.equal(s.messages!.fate_unknown, 1);
    assert.equal(s.messages!.unaccounted, 0);
    assert.match(
      s.messages!.fate_unknown_examples[0],
      /machine_3\.log:8: fate unknown: recipient 2/,
    );
    assert.equal(s.ok, true);
  });
});

Deno.test("analyzeLogs(): every node killed: each machine is named, messages of unknown fate, no failure", async () => {
  const cut = {
    "machine_1.log": dropLast(1),
    "machine_2.log": dropLast(1),
    "machine_3.log": dropLast(1),
  };
  await withEditedRun(SMALL, cut, (dir) => {
    const { summary: s } = analyzeLogs([dir]);
    assert.equal(s.status, "incomplete");
    assert.deepEqual(
      s.incomplete_reasons.slice(0, 3).map((r) => r.replace(/".*\//, '"')),
      [
        'machine 1 did not finish: "machine_1.log" ends at t=2.16 s without END',
        'machine 2 did not finish: "machine_2.log" ends at t=2 s without END',
        'machine 3 did not finish: "machine_3.log" ends at t=2 s without END',
      ],
    );
    assert.equal(s.messages!.unaccounted, 0);
    assert.equal(s.messages!.fate_unknown, 1);
    assert.equal(check(s, "conservation").failed, 0);
  });
});

Deno.test('analyzeLogs(): END reason "failed" is incomplete and reported with its detail', async () => {
  const failed = editLast(
    '"queued_msgs": []}',
    '"queued_msgs": [], "reason": "failed", "detail": "Cannot write the log: disk full"}',
  );
  await withEditedRun(SMALL, { "machine_3.log": failed }, (dir) => {
    const { summary: s } = analyzeLogs([dir]);
    const m3 = s.machines[2];
    assert.deepEqual([m3.finished, m3.end_reason, m3.end_detail], [
      true,
      "failed",
      "Cannot write the log: disk full",
    ]);
    assert.equal(s.status, "incomplete");
    assert.match(
      s.incomplete_reasons[0],
      /^machine 3 failed: END reason "failed" \("Cannot write the log: disk full"\) in ".*machine_3\.log"$/,
    );
    assert.match(
      summaryMarkdown(s),
      /- machine 3: 1 incarnation; from t=0 s: END failed \("Cannot write the log: disk full"\)/,
    );
  });
  const odd = editLast('"queued_msgs": []}', '"queued_msgs": [], "reason": "crashed"}');
  await withEditedRun(SMALL, { "machine_3.log": odd }, (dir) => {
    assert.throws(() => analyzeLogs([dir]), (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.match(
        e.message,
        /machine_3\.log:10: Cannot read END event as "reason" must be one of "completed", "stopped", "failed": current value is "crashed"$/,
      );
      return true;
    });
  });
});

Deno.test("analyzeLogs({ lenient }): skipped lines make the run incomplete", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/bad/malformed.log"], { lenient: true });
  assert.ok(
    s.incomplete_reasons.includes(
      '1 malformed line(s) of "tests/fixtures/bad/malformed.log" skipped (--lenient)',
    ),
    s.incomplete_reasons.join("\n"),
  );
});

Deno.test("analyzeLogs(): legacy messages and machines without a log are incomplete, not failures", async () => {
  const legacy = editLast(
    '"queued_msgs": [{"from": 3, "seq": 2, "clock": 5}]',
    '"queued_msgs": [{"from": 3, "seq": 2, "clock": 5}, {"from": null, "seq": null, "clock": 7}]',
  );
  await withEditedRun(SMALL, { "machine_2.log": legacy }, (dir) => {
    const { summary: s } = analyzeLogs([dir]);
    assert.equal(s.messages!.legacy, 1);
    assert.deepEqual(s.incomplete_reasons, [
      "1 bare-integer (legacy) message(s) received or queued: their sender is unknown, so they are not checked",
    ]);
  });
  const { summary: s } = analyzeLogs([`${SMALL}/machine_1.log`, `${SMALL}/machine_2.log`]);
  // Machine 3's log is not given: 1 → 3 (seq 2), 3 → 1 (seq 1) and 3 → 2 (queued, seq 2).
  assert.equal(s.messages!.unlogged, 3);
  assert.equal(s.status, "incomplete");
  assert.match(
    s.incomplete_reasons[0],
    /^3 message\(s\) to or from machines \(or incarnations\) without a log here, not checked, e\.g\. .*machine_1\.log:\d: (sent to|message from) machine 3, which has no log here$/,
  );
});

Deno.test("analyzeLogs(): logs without message ids are incomplete: what was not checked is named", () => {
  const { summary: s } = analyzeLogs(["sample_logs/original_schema"]);
  assert.equal(s.status, "incomplete");
  assert.deepEqual(s.incomplete_reasons, [
    "not checked: receive_rule, c2_matched, conservation, lamport_linear_extension: not available for these logs (no message ids in sample_logs/original_schema/machine_1.log, sample_logs/original_schema/machine_2.log, sample_logs/original_schema/machine_3.log)",
  ]);
  assert.equal(
    analyzeLogs(["sample_logs/original_schema"], { verify: false }).summary.status,
    "unverified",
  );
});

Deno.test("analyzeLogs(): messages the receiver rejected are accounted, counted and make the run incomplete", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/rejected"]);
  const m = s.messages!;
  assert.deepEqual([m.sent, m.matched, m.rejected, m.rejected_other, m.unaccounted], [
    2,
    1,
    1,
    1,
    0,
  ]);
  assert.deepEqual(m.rejected_examples, [
    "tests/fixtures/rejected/machine_2.log:2: rejected by the receiver: message (from 1, session 1, seq 1, clock 1)",
    "tests/fixtures/rejected/machine_2.log:4: rejected by the receiver: message (from 1, session 1, seq 99, clock 5)",
  ]);
  // 3 PROTOCOL_ERROR lines, one of which says 3 more were not written (rate limit).
  assert.deepEqual([s.links.protocol_errors, s.links.protocol_errors_suppressed], [6, 3]);
  assert.deepEqual([check(s, "conservation").checked, check(s, "conservation").failed], [2, 0]);
  assert.equal(s.status, "incomplete");
  assert.match(
    s.incomplete_reasons[0],
    /^2 message\(s\) rejected by the receiver \(PROTOCOL_ERROR\): 1 sent by a logged node, 1 forged/,
  );
  const md = summaryMarkdown(s);
  assert.match(
    md,
    /\*\*Rejected by the receiver\*\* \(PROTOCOL_ERROR naming the message\): 1; refusals of forged, replayed or unlogged messages: 1/,
  );
  assert.match(
    md,
    /- Protocol errors \(PROTOCOL_ERROR: a frame or message a node refused\): 6 \(3 of them not logged one by one: rate limit\)/,
  );
});

Deno.test("analyzeLogs(): a failed check beats incomplete", async () => {
  await withEditedRun("tests/fixtures/conservation", { "machine_3.log": dropLast(1) }, (dir) => {
    const { summary: s } = analyzeLogs([dir]);
    assert.equal(s.status, "failed");
    assert.equal(s.complete, false);
    assert.match(s.incomplete_reasons[0], /^machine 3 did not finish/);
    assert.match(
      summaryMarkdown(s),
      /\*\*Status\*\*: \*\*FAILED\*\*.*\n\nIt is also incomplete:\n\n- machine 3/,
    );
  });
});

Deno.test("analyzeLogs(): a PROTOCOL_ERROR naming only part of a message is a bad line", async () => {
  const partial = append(
    '{"event": "PROTOCOL_ERROR", "system_time": 1764300002.3, "machine_id": 2, "peer": "127.0.0.1:4", "reason": "x", "from": 1, "seq": 3}',
  );
  await withEditedRun(SMALL, { "machine_2.log": partial }, (dir) => {
    assert.throws(() => analyzeLogs([dir]), {
      message: new RegExp(
        `machine_2\\.log:7: Cannot read PROTOCOL_ERROR event as "from", "seq" and "clock" must be given together: current value has "seq", "from"$`,
      ),
    });
  });
});

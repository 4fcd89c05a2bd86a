import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { summaryMarkdown } from "../lib/analysis/summary_markdown.ts";
import { accountMessages, readLog } from "./support/log_check.ts";

// Real logs of `deno task run --seed 262` (3 TCP nodes, 60 s), committed in sample_logs/.
const RUN = "sample_logs/run_2026-11-28_04-06-20";
function round(x: number | null, d = 3) {
  return (x === null ? null : Number(x.toFixed(d)));
}

Deno.test("sample 60 s cluster run: the analyzer reports its exact figures", () => {
  const { summary: s } = analyzeLogs([RUN]);
  assert.equal(s.log_schema, "ours");
  assert.equal(s.total_events, 618);
  assert.deepEqual(s.machines.map((m) => m.clock_rate), [3, 6, 1]);
  assert.deepEqual(s.machines.map((m) => m.final_clock), [355, 360, 238]);
  assert.equal(s.final_drift, 122);
  assert.deepEqual(s.machines.map((m) => round(m.avg_jump_size)), [1.972, 1, 3.967]);
  assert.deepEqual(s.machines.map((m) => round(m.mean_receive_jump)), [3.536, 1, 4.017]);
  assert.deepEqual(s.machines.map((m) => m.max_queue_len), [1, 0, 22]);
  assert.deepEqual(
    s.machines.map((m) => [m.events.SEND, m.events.RECEIVE, m.events.INTERNAL]),
    [[26, 69, 85], [101, 20, 239], [0, 59, 1]],
  );
  assert.equal(s.drift.max, 125);
  assert.equal(round(s.drift.mean), 60.049);
  const msg = s.messages!;
  assert.deepEqual(
    [msg.sent, msg.received, msg.matched, msg.queued_at_end, msg.undelivered, msg.unaccounted],
    [169, 148, 148, 21, 0, 0],
  );
  assert.deepEqual([msg.duplicates, msg.orphans], [0, 0]);
  assert.equal(s.ok, true);
  assert.deepEqual(
    s.checks.map((c) => [c.id, c.checked, c.failed]),
    [
      ["c1_chain", 600, 0],
      ["c1_increase", 600, 0],
      ["send_internal_plus_one", 452, 0],
      ["receive_rule", 148, 0],
      ["c2_matched", 148, 0],
      ["final_clock", 3, 0],
      ["conservation", 169, 0],
      ["lamport_linear_extension", 745, 0],
    ],
  );
  assert.match(summaryMarkdown(s), /\*\*Final Drift \(max - min final_clock\)\*\*: 122\n/);
});

Deno.test("sample 60 s cluster run: every node ticked rate × 60 times, messages all accounted", () => {
  const logs = [1, 2, 3].map((i) => readLog(`${RUN}/machine_${i}.log`));
  for (const log of logs) {
    const startup = log[0];
    assert.ok(startup.event === "STARTUP");
    const ticks = log.filter((e) => ["SEND", "RECEIVE", "INTERNAL"].includes(e.event)).length;
    assert.equal(ticks, startup.clock_rate * 60);
    assert.equal(log.at(-1)!.event, "END");
  }
  // The independent accounting of the test support agrees with the analyzer.
  const acc = accountMessages(logs);
  assert.deepEqual(
    [acc.sent, acc.received, acc.queuedAtEnd, acc.undelivered, acc.unaccounted.length],
    [169, 148, 21, 0, 0],
  );
  assert.deepEqual(acc.clockViolations, []);
});

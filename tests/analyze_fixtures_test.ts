import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { summaryMarkdown } from "../lib/analysis/summary_markdown.ts";
import { observations } from "../lib/analysis/_observations.ts";
import type { AnalysisSummary } from "../lib/analysis/summary_data.ts";

function round(x: number | null, d = 3) {
  return (x === null ? null : Number(x.toFixed(d)));
}
function check(s: AnalysisSummary, id: string) {
  return s.checks.find((c) => c.id === id)!;
}

Deno.test("analyzeLogs() reports the exact figures of the hand-made run in our schema", async (t) => {
  const { summary: s } = analyzeLogs(["tests/fixtures/run_small"]);
  await t.step("run and machines", () => {
    assert.equal(s.log_schema, "ours");
    assert.equal(s.total_events, 28);
    assert.equal(round(s.run.duration), 2.2);
    assert.deepEqual(s.machines.map((m) => m.final_clock), [5, 4, 6]);
    assert.equal(s.final_drift, 2);
    assert.deepEqual(s.machines.map((m) => m.avg_jump_size), [1, 2, 1]);
    assert.deepEqual(s.machines.map((m) => m.mean_receive_jump), [1, 2, 1]);
    assert.deepEqual(s.machines.map((m) => m.max_queue_len), [0, 1, 0]);
    assert.deepEqual(s.machines.map((m) => m.mean_queue_len), [0, 0.5, 0]);
    assert.deepEqual(s.machines.map((m) => m.queued_at_end), [0, 1, 0]);
    assert.deepEqual(s.machines[0].events, {
      STARTUP: 1,
      SEND: 3,
      RECEIVE: 1,
      INTERNAL: 1,
      END: 1,
      UNDELIVERED: 2,
      LINK_UP: 2,
      LINK_DOWN: 1,
      PROTOCOL_ERROR: 0,
    });
    assert.deepEqual(s.machines.map((m) => round(m.queue_wait!.mean, 4)), [0.599, 0.8985, 0.232]);
  });
  await t.step("drift over time", () => {
    assert.equal(s.drift.max, 3);
    assert.equal(round(s.drift.max_at), 1.667);
    // area under the drift step function is 3.7 over 2.2 s
    assert.equal(round(s.drift.mean, 6), round(3.7 / 2.2, 6));
    assert.deepEqual(s.drift.mean_by_third.map((x) => round(x)), [1.045, 1.546, 2.454]);
  });
  await t.step("messages", () => {
    const m = s.messages!;
    assert.deepEqual(
      [m.sent, m.received, m.matched, m.queued_at_end, m.undelivered, m.delivered_unacknowledged],
      [6, 4, 4, 1, 1, 1],
    );
    assert.deepEqual([m.duplicates, m.orphans, m.unaccounted, m.unresolved_recipients], [
      0,
      0,
      0,
      0,
    ]);
    assert.equal(round(m.latency!.mean, 4), round((0.9 + 0.9 + 0.233 + 0.6) / 4, 4));
    assert.equal(round(m.latency!.max), 0.9);
    assert.deepEqual([s.links.up, s.links.down, s.links.protocol_errors], [5, 1, 1]);
  });
  await t.step("checks", () => {
    assert.equal(s.ok, true);
    assert.deepEqual(
      s.checks.map((c) => [c.id, c.checked, c.failed]),
      [
        ["c1_chain", 13, 0],
        ["c1_increase", 13, 0],
        ["send_internal_plus_one", 9, 0],
        ["receive_rule", 4, 0],
        ["c2_matched", 4, 0],
        ["final_clock", 3, 0],
        ["conservation", 6, 0],
        ["lamport_linear_extension", 14, 0],
      ],
    );
  });
});

Deno.test("observations() are computed from the data, problems first: peers never connected, undelivered messages, lag, jumps, queues, drift", () => {
  const { summary } = analyzeLogs(["tests/fixtures/run_small"]);
  assert.deepEqual(observations(summary), [
    "**Machine 2 never connected to machine 1 at 127.0.0.1:5001 or machine 3 at 127.0.0.1:5003**: its STARTUP lists them as peers, but it logged no LINK_UP to them, so it could not send them anything.",
    '**1 message was never delivered** (logged UNDELIVERED by the sender, never received). UNDELIVERED by sender and peer: 2 from machine 1 to machine 2 at 127.0.0.1:5002 (first reason "link down"); 1 of them was received anyway (delivered but unacknowledged).',
    "Machine 2 (rate 1/s) lagged most: its final clock 4 is 2 behind the 6 of machine 3 (rate 3/s).",
    "Machine 2 (rate 1/s) had the largest mean RECEIVE jump (2, max 2) against 1 for machine 1 (rate 2/s): the slower clock is pulled forward by faster senders.",
    "The longest queue was at machine 2 (rate 1/s): 1 message waiting, first at 2 s (mean 0.5); the others peaked at machine 1: 0, machine 3: 0.",
    "Drift stayed bounded: its time-weighted mean was 1.045 in the first third and 2.454 in the last (max 3 at 1.7 s).",
    "4 of 6 messages were received; 1 still queued at END and 1 undelivered; mean latency 658.3 ms.",
    "All 8 available checks held.",
  ]);
  const failed = analyzeLogs(["tests/fixtures/conservation"]).summary;
  assert.equal(observations(failed).at(-1), "2 checks failed: receive_rule, conservation.");
});

Deno.test("analyzeLogs() reads the original Python schema and marks id checks unavailable", () => {
  const { summary: s } = analyzeLogs(["sample_logs/original_schema"]);
  assert.equal(s.log_schema, "original");
  assert.equal(s.total_events, 19);
  assert.deepEqual(s.machines.map((m) => m.final_clock), [5, 4, 6]);
  assert.equal(s.final_drift, 2);
  assert.deepEqual(s.machines.map((m) => m.clock_rate), [2, 1, 3]);
  assert.deepEqual(s.machines.map((m) => round(m.avg_jump_size)), [1, 2, 1]);
  assert.deepEqual(s.machines.map((m) => m.max_queue_len), [0, 1, 0]);
  assert.equal(s.messages, null);
  assert.equal(s.ok, true);
  for (const id of ["receive_rule", "c2_matched", "conservation"]) {
    assert.equal(check(s, id).available, false, id);
    assert.match(check(s, id).note!, /^not available for these logs/);
  }
  assert.equal(check(s, "c1_chain").checked, 13);
  const md = summaryMarkdown(s);
  assert.match(md, /\*\*Final Drift \(max - min final_clock\)\*\*: 2\n/);
  assert.match(md, /## Summary Table/);
  assert.match(
    md,
    /## Messages\n\nNot available for these logs: in the original schema a message carries only a clock value/,
  );
  assert.match(md, /- Connections: none logged \(simulated runs and the original schema/);
});

Deno.test("analyzeLogs() marks a mix of both schemas as mixed: id checks on the logs with ids", () => {
  const { summary: s } = analyzeLogs([
    "tests/fixtures/run_small/machine_1.log",
    "sample_logs/original_schema/machine_2.log",
  ]);
  assert.equal(s.log_schema, "mixed");
  assert.equal(s.messages!.sent, 0); // machine 1 sent only to 2 (original log) and 3 (no log)
  // 3 sent to machine 2 (whose log has no message ids), 1 to and 1 from machine 3 (no log).
  assert.equal(s.messages!.unlogged, 5);
  assert.equal(check(s, "conservation").available, true);
  assert.match(
    check(s, "conservation").note!,
    /on the messages among the logs with message ids; those to and from the original-schema logs \(sample_logs\/original_schema\/machine_2.log\) are counted apart/,
  );
  assert.deepEqual(s.legacy!.counts, [
    { machine_id: 2, schema: "original", received: 2, sent_to_it: 0, holds: false },
  ]);
  assert.equal(s.status, "incomplete");
  assert.equal(check(s, "receive_rule").available, true);
  assert.equal(check(s, "receive_rule").checked, 1);
});

Deno.test("analyzeLogs() counts a duplicate, an orphan and an unaccounted message", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/conservation"]);
  const m = s.messages!;
  assert.deepEqual([m.duplicates, m.orphans, m.unaccounted], [1, 1, 1]);
  const c = check(s, "conservation");
  assert.equal(c.failed, 3);
  assert.deepEqual(c.violations, [
    "tests/fixtures/conservation/machine_2.log:5: duplicate: message (from 1, seq 1) received again",
    "tests/fixtures/conservation/machine_1.log:6: unaccounted: sent, never received, queued, rejected or undelivered",
    "tests/fixtures/conservation/machine_3.log:7: orphan: no SEND matches this message",
  ]);
  assert.equal(check(s, "receive_rule").failed, 1);
  assert.equal(s.ok, false);
});

Deno.test("analyzeLogs() lists the first clock violations with file:line", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/bad/clock_violation.log"]);
  assert.deepEqual(check(s, "c1_chain").violations, [
    "tests/fixtures/bad/clock_violation.log:5: INTERNAL old_clock 0 != previous new_clock 1",
  ]);
  assert.deepEqual(check(s, "send_internal_plus_one").violations, [
    "tests/fixtures/bad/clock_violation.log:6: SEND new_clock 3 != old_clock 1 + 1",
  ]);
  assert.equal(s.ok, false);
  const md = summaryMarkdown(s);
  assert.match(
    md,
    /\*\*FAILED\*\* for 1 of 5; first violations:\n {2}- tests\/fixtures\/bad\/clock_violation.log:5/,
  );
});

Deno.test("analyzeLogs() draws drift as a step per instant, after all events of that instant", () => {
  const { panels } = analyzeLogs(["tests/fixtures/run_small"]);
  assert.deepEqual(panels.map((p) => [p.title, p.mode, p.series.length]), [
    ["Lamport clock vs time", "step", 3],
    ["Clock minus machine 3's clock (the fastest, rate 3/s), mean over 0.02 s", "step", 3],
    ["Queue length at RECEIVE vs time", "points", 3],
    ["Clock jump at RECEIVE (new_clock − old_clock) vs time", "points", 3],
    ["Drift (max − min of the clocks) vs time", "step", 1],
  ]);
  assert.equal(panels[0].series[1].name, "machine 2 (rate 1/s)");
  const drift = panels[4].series[0];
  // At t = 1.0 machine 2 receives (drift would be 0) and machine 3 sends (drift 1): only 1 is drawn.
  assert.deepEqual([...drift.t].map((t, i) => [round(t), drift.v[i]]), [
    [0, 0],
    [0.1, 1],
    [0.6, 2],
    [1, 1],
    [1.333, 2],
    [1.667, 3],
    [2, 2],
    [2.2, 2],
  ]);
  // The clock line of machine 2 runs to its END (2.15 s) at its final clock.
  const c2 = panels[0].series[1];
  assert.deepEqual([round(c2.t[c2.t.length - 1]), c2.v[c2.v.length - 1]], [2.15, 4]);
  // Clock minus the fastest (machine 3): 0 for itself; machine 2 ends 2 behind (4 vs 6).
  const offset = panels[1].series;
  assert.ok(offset[2].v.every((v) => v === 0));
  assert.equal(offset[1].v[offset[1].v.length - 1], -2);
  // Jumps are drawn for RECEIVE only: machine 2's two RECEIVEs (jumps 2 and 2), none of its
  // SEND/INTERNAL +1 steps.
  assert.deepEqual([...panels[3].series[1].v], [2, 2]);
});

Deno.test("analyzeLogs() resolves a null recipient through the sender's LINK_UP", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/run_small"]);
  // machine_1.log:2 sends seq 1 with "to": [null]; LINK_UP at line 3 names peer 2.
  assert.equal(s.messages!.unresolved_recipients, 0);
  assert.equal(check(s, "c2_matched").checked, 4);
});

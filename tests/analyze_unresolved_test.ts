import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";

// A real node whose only peer (127.0.0.1:5699) never came up: 6 SENDs with `to: null`, and the
// 6 UNDELIVERED "peer never connected" it logged at END. In unresolved_lost/ two of those
// UNDELIVERED lines (seq 2 and 5) were removed.
function conservation(dir: string) {
  return analyzeLogs([dir]).summary.checks.find((c) => c.id === "conservation")!;
}

Deno.test("analyzeLogs(): messages to a never-resolved address are accounted by their UNDELIVERED", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/unresolved_ok"]);
  const m = s.messages!;
  assert.deepEqual(
    [m.sent, m.undelivered, m.unaccounted, m.unresolved_recipients],
    [6, 6, 0, 6],
  );
  assert.deepEqual(
    m.unresolved_examples[0],
    "tests/fixtures/unresolved_ok/machine_1.log:2 (127.0.0.1:5699)",
  );
  const c = conservation("tests/fixtures/unresolved_ok");
  assert.deepEqual([c.checked, c.failed], [6, 0]);
  assert.equal(s.ok, true);
});

Deno.test("analyzeLogs(): a message to a never-resolved address without UNDELIVERED is unaccounted", () => {
  const { summary: s } = analyzeLogs(["tests/fixtures/unresolved_lost"]);
  const m = s.messages!;
  assert.deepEqual([m.sent, m.undelivered, m.unaccounted, m.unresolved_recipients], [6, 4, 2, 6]);
  const c = conservation("tests/fixtures/unresolved_lost");
  assert.deepEqual([c.checked, c.failed], [6, 2]);
  assert.match(c.violations[0], /machine_1\.log:3: unaccounted: sent to 127\.0\.0\.1:5699/);
  assert.match(c.violations[1], /machine_1\.log:6: unaccounted/);
  assert.equal(s.ok, false);
});

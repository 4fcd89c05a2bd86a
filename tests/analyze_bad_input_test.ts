import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { analysisErrorOf } from "./support/analyzer.ts";

const BAD = "tests/fixtures/bad";

Deno.test("analyzeLogs() rejects a malformed line with file:line: reason", () => {
  assert.equal(
    analysisErrorOf(() => analyzeLogs([`${BAD}/malformed.log`])),
    `${BAD}/malformed.log:5: Cannot parse line as JSON: expected a key: current value is '}' at column 100`,
  );
  assert.equal(
    analysisErrorOf(() => analyzeLogs([`${BAD}/wrong_type.log`])),
    `${BAD}/wrong_type.log:5: Cannot read "new_clock" as it must be an integer: current value is "2"`,
  );
});

Deno.test("analyzeLogs({ lenient }) skips malformed lines and reports how many", () => {
  const warnings: string[] = [];
  const { summary } = analyzeLogs([`${BAD}/malformed.log`], {
    lenient: true,
    warn: (m) => warnings.push(m),
  });
  assert.equal(summary.machines[0].skipped_lines, 1);
  assert.equal(summary.total_events, 11);
  assert.deepEqual(warnings, [
    `${BAD}/malformed.log: 1 malformed line(s) skipped (--lenient); first: ${BAD}/malformed.log:5: Cannot parse line as JSON: expected a key: current value is '}' at column 100`,
  ]);
});

Deno.test("analyzeLogs() tolerates a truncated last line and reports a machine that did not finish", () => {
  const warnings: string[] = [];
  const { summary } = analyzeLogs([`${BAD}/truncated.log`], { warn: (m) => warnings.push(m) });
  const m = summary.machines[0];
  assert.equal(m.truncated_last_line, true);
  assert.equal(m.finished, false);
  assert.equal(m.final_clock, 4);
  assert.equal(summary.total_events, 7);
  assert.match(
    warnings[0],
    /truncated\.log:8: truncated last line ignored \(was the node killed\?\)/,
  );
  assert.match(warnings[1], /machine 1 did not finish \(no END\): its last clock 4 is used/);
});

Deno.test("analyzeLogs() keeps a machine without END, with its last clock", () => {
  const { summary } = analyzeLogs(["tests/fixtures/run_small/machine_2.log", `${BAD}/no_end.log`]);
  assert.deepEqual(summary.machines.map((m) => [m.machine_id, m.finished, m.final_clock]), [
    [2, true, 4],
    [1, false, 4],
  ]);
  assert.equal(summary.final_drift, 0);
  assert.match(summary.warnings.join("\n"), /did not finish/);
});

Deno.test("analyzeLogs() counts messages to a machine that did not finish as of unknown fate: incomplete", () => {
  // machine_2.log stops after its first RECEIVE (no END): what it had queued is unknown.
  const { summary } = analyzeLogs(["tests/fixtures/unfinished"]);
  const m = summary.messages!;
  assert.deepEqual(
    [m.sent, m.matched, m.undelivered, m.fate_unknown, m.unaccounted, m.queued_at_end],
    [6, 3, 2, 1, 0, 0],
  );
  assert.deepEqual(m.fate_unknown_examples, [
    `tests/fixtures/unfinished/machine_3.log:8: fate unknown: recipient 2's log "tests/fixtures/unfinished/machine_2.log" ends at t=1 s without END`,
  ]);
  const conservation = summary.checks.find((c) => c.id === "conservation")!;
  assert.deepEqual([conservation.checked, conservation.failed, conservation.unknown], [5, 0, 1]);
  assert.equal(summary.ok, true);
  assert.equal(summary.status, "incomplete");
  assert.equal(summary.complete, false);
  assert.deepEqual(summary.machines.map((x) => x.finished), [true, false, true]);
});

Deno.test("analyzeLogs() names both files that carry the same machine_id", () => {
  assert.equal(
    analysisErrorOf(() =>
      analyzeLogs(["tests/fixtures/run_small/machine_1.log", `${BAD}/duplicate_id.log`])
    ),
    `Cannot analyze "tests/fixtures/run_small/machine_1.log" and "${BAD}/duplicate_id.log" together: both are machine 1 and the first has no STARTUP session, so they cannot be two incarnations of one node (analyze one run at a time)`,
  );
});

Deno.test("analyzeLogs() gives a clear error for no files, empty files and missing files", () => {
  assert.equal(
    analysisErrorOf(() => analyzeLogs([])),
    "Cannot analyze as no logs are given: pass a run's directory (deno task analyze logs/run_X) or its *.log files",
  );
  assert.equal(
    analysisErrorOf(() => analyzeLogs([`${BAD}/empty.log`])),
    `Cannot analyze "${BAD}/empty.log" as the log file is empty: no STARTUP line`,
  );
  assert.equal(
    analysisErrorOf(() => analyzeLogs(["tests/fixtures/nope.log"])),
    'Cannot read log file "tests/fixtures/nope.log": file not found',
  );
  assert.equal(
    analysisErrorOf(() => analyzeLogs(["tests/fixtures/nope"])),
    'Cannot read logs from "tests/fixtures/nope": file not found',
  );
  assert.equal(
    analysisErrorOf(() => analyzeLogs([`${BAD}/not_startup.log`])),
    `${BAD}/not_startup.log:1: Cannot read the log as its first event must be STARTUP with machine_id and system_time: current value is "SEND"`,
  );
  const dir = Deno.makeTempDirSync();
  try {
    assert.equal(
      analysisErrorOf(() => analyzeLogs([dir])),
      `Cannot analyze "${dir}" as it holds no *.log files: pass a run's directory (logs/run_X) or its *.log files`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("analyzeLogs() on the parent of several runs names the run directories, newest first", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const runs = ["run_2026-01-01_10-00-00", "run_2026-01-02_10-00-00", "custom", "empty"];
    runs.forEach((name, i) => {
      Deno.mkdirSync(`${dir}/${name}`);
      if (name === "empty") return;
      Deno.copyFileSync("tests/fixtures/run_small/machine_1.log", `${dir}/${name}/machine_1.log`);
      const t = new Date(Date.UTC(2026, 0, 1 + i));
      Deno.utimeSync(`${dir}/${name}/machine_1.log`, t, t);
    });
    Deno.writeTextFileSync(`${dir}/notes.txt`, "not a log");
    assert.equal(
      analysisErrorOf(() => analyzeLogs([dir])),
      `Cannot analyze "${dir}" as it holds no *.log files but 3 run directories (newest first: custom, run_2026-01-02_10-00-00, run_2026-01-01_10-00-00): analyze one run, e.g. the newest: deno task analyze ${dir}/custom`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { runSimulationCluster } from "../lib/cluster/simulate.ts";
import type { LogEvent } from "../lib/core/log_schema.ts";
import { reconstructVectorClocks } from "../lib/causality/reconstruct.ts";
import type { CausalitySummary } from "../lib/causality/summary.ts";
import { naiveCausality, type NaiveCounts } from "./support/naive_causality.ts";
import { readLog } from "./support/log_check.ts";

const HAND = "tests/fixtures/causality_hand";
const SAMPLE = "sample_logs/run_2026-11-28_04-06-20";
function logsOf(dir: string) {
  return [...Deno.readDirSync(dir)].map((d) => d.name).filter((n) => n.endsWith(".log")).sort()
    .map((n) => readLog(`${dir}/${n}`));
}

/** Every figure of the summary equals the brute-force one. */
function assertSameAsNaive(c: CausalitySummary, n: NaiveCounts): void {
  assert.equal(c.available, true);
  assert.equal(c.events, n.events.length);
  assert.deepEqual(
    [c.pairs.total, c.pairs.ordered, c.pairs.concurrent, c.pairs.equal_lamport],
    [n.total, n.ordered, n.concurrent, n.equalLamport],
  );
  assert.deepEqual(
    [c.pairs.lamport_less, c.pairs.lamport_less_concurrent],
    [n.lamportLess, n.lamportLessConcurrent],
  );
  assert.equal(c.edges.messages, n.messageEdges);
  for (const p of c.machine_pairs) {
    assert.equal(p.concurrent, n.perPair.get(p.machines.join("-")) ?? 0, `pair ${p.machines}`);
  }
}

Deno.test("hand-built run: happened-before pairs are the ones counted by hand", () => {
  // m1: a1 a2(SEND→m2) a3; m2: b1 b2(RECEIVE a2) b3(SEND→m3); m3: c1 c2 c3(RECEIVE b3).
  // Pasts: a2{a1} a3{a1,a2} b2{b1,a1,a2} b3{+b2} c2{c1} c3{c1,c2,b1,b2,b3,a1,a2}: 18 ordered.
  const { summary: s } = analyzeLogs([HAND]);
  const c = s.causality;
  assert.deepEqual(c.pairs, {
    total: 36,
    ordered: 18,
    concurrent: 18,
    equal_lamport: 5, // L=1: a1 b1 c1 (3); L=2: a2 c2; L=3: a3 b2
    lamport_less: 31,
    lamport_less_concurrent: 13,
  });
  assert.equal(c.lamport_ambiguity_rate, 13 / 31);
  assert.deepEqual(c.edges, { program_order: 6, messages: 2 });
  assert.deepEqual(c.machine_pairs.map((p) => [p.machines, p.pairs, p.concurrent]), [
    [[1, 2], 9, 5], // a3 with b1 b2 b3; a1 a2 with b1
    [[1, 3], 9, 7], // a3 with c1 c2 c3; a1 a2 with c1 c2
    [[2, 3], 9, 6], // b1 b2 b3 with c1 c2
  ]);
  const check = s.checks.find((x) => x.id === "lamport_linear_extension")!;
  assert.deepEqual([check.available, check.checked, check.failed], [true, 8, 0]);
  assertSameAsNaive(c, naiveCausality(logsOf(HAND)));
});

Deno.test("reconstructVectorClocks() gives the hand-built run's vector clocks", () => {
  const { events } = reconstructVectorClocks(logsOf(HAND));
  const clocks = events.map((log) => log.map((e) => e.clock.toJSON()));
  assert.deepEqual(clocks, [
    [{ 1: 1 }, { 1: 2 }, { 1: 3 }],
    [{ 2: 1 }, { 1: 2, 2: 2 }, { 1: 2, 2: 3 }],
    [{ 3: 1 }, { 3: 2 }, { 1: 2, 2: 3, 3: 3 }],
  ]);
  const [[a1, , a3], [b1], [, , c3]] = events;
  assert.equal(a1.clock.compare(c3.clock), "before");
  assert.equal(c3.clock.compare(a1.clock), "after");
  assert.equal(a3.clock.compare(b1.clock), "concurrent");
  assert.equal(a3.clock.compare(a3.clock), "equal");
});

Deno.test("sample run: Lamport ambiguity rate 25,173 / 179,426 = 14.0%, as a brute-force pair comparison", () => {
  const c = analyzeLogs([SAMPLE]).summary.causality;
  assert.equal(c.events, 600);
  assert.equal(c.pairs.lamport_less_concurrent, 25173);
  assert.equal(c.pairs.lamport_less, 179426);
  assert.equal(Number(c.lamport_ambiguity_rate!.toFixed(4)), 0.1403);
  assert.equal(c.edges.messages, 148);
  assertSameAsNaive(c, naiveCausality(logsOf(SAMPLE)));
});

Deno.test("simulated 8-machine run: every vector clock and count equals the brute-force graph's", async () => {
  const dir = Deno.makeTempDirSync();
  const options = parseClusterArgs([
    "--simulate",
    ...["--count", "8", "--duration", "20", "--rate-max", "6", "--seed", "8"],
  ]);
  await runSimulationCluster(options, { dir, startMs: 1_700_000_000_000, handleSignals: false });
  const logs = logsOf(dir);
  const naive = naiveCausality(logs);
  assert.ok(naive.events.length > 300, `${naive.events.length} events`);
  assertSameAsNaive(analyzeLogs([dir]).summary.causality, naive);
  const { events, summary } = reconstructVectorClocks(logs);
  assertSameAsNaive(summary, naive);
  const ids = logs.map((l) => l[0].machine_id);
  let i = 0;
  for (const log of events) {
    for (const e of log) {
      const n = naive.events[i++];
      for (const [j, id] of ids.entries()) {
        const inPast = [...n.past].filter((k) => k.startsWith(`${id}/`)).length;
        assert.equal(
          e.clock.get(id),
          inPast + (j === e.log ? 1 : 0),
          `event ${n.machine}/${n.index}`,
        );
      }
    }
  }
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a machine whose clock is 100 s behind: receives wait for their SEND, counts unchanged", () => {
  const logs = logsOf(SAMPLE);
  const skewed = logs.map((log, i) =>
    log.map((e) => (i === 2 ? { ...e, system_time: e.system_time - 100 } : e)) as LogEvent[]
  );
  const straight = reconstructVectorClocks(logs).summary;
  const held = reconstructVectorClocks(skewed).summary;
  assert.deepEqual(held, straight);
  // With room for only 10 held events, the waits give up: counted, never silently.
  const tight = reconstructVectorClocks(skewed, { maxPending: 10 }).summary;
  assert.ok(tight.receives_without_edge.gave_up > 0);
  assert.ok(tight.pairs.concurrent > straight.pairs.concurrent);
  assert.match(tight.notes.join(), /add no message edge/);
});

Deno.test("a RECEIVE with no SEND in the logs adds no edge and is counted", () => {
  const logs = logsOf(HAND).map((log) =>
    log.map((e) =>
      e.event === "RECEIVE" && e.machine_id === 3 ? { ...e, from: 7 } : e
    ) as LogEvent[]
  );
  const s = reconstructVectorClocks(logs).summary;
  assert.equal(s.receives_without_edge.from_unlogged, 1);
  assert.equal(s.edges.messages, 1);
  assertSameAsNaive(s, naiveCausality(logs));
  const orphan = logsOf(HAND).map((log) =>
    log.map((e) => e.event === "RECEIVE" && e.machine_id === 3 ? { ...e, seq: 9 } : e) as LogEvent[]
  );
  assert.equal(reconstructVectorClocks(orphan).summary.receives_without_edge.no_send, 1);
});

Deno.test("original-schema logs: happened-before is not available, and the summary says why", () => {
  const { summary: s } = analyzeLogs(["sample_logs/original_schema"]);
  assert.equal(s.causality.available, false);
  assert.match(s.causality.reason!, /no message ids .*without guessing/);
  const check = s.checks.find((x) => x.id === "lamport_linear_extension")!;
  assert.equal(check.available, false);
});

Deno.test("a broken clock fails the linear-extension check and leaves the ambiguity rate out", () => {
  const logs = logsOf(HAND).map((log) =>
    log.map((e) =>
      e.event === "RECEIVE" && e.machine_id === 3 ? { ...e, new_clock: 3 } : e
    ) as LogEvent[]
  );
  const r = reconstructVectorClocks(logs);
  assert.deepEqual([r.check!.checked, r.check!.failed], [8, 1]);
  assert.match(
    r.check!.violations[0],
    /RECEIVE \(Lamport 3\) of \(from 2, seq 1\) is not after its SEND \(Lamport 4\)/,
  );
  assert.equal(r.summary.lamport_ambiguity_rate, null);
  // A tie (L 4 = L 4) is ordered by machine id (2 < 3): it holds, but is not strict.
  const tie = logsOf(HAND).map((log) =>
    log.map((e) =>
      e.event === "RECEIVE" && e.machine_id === 3 ? { ...e, new_clock: 4 } : e
    ) as LogEvent[]
  );
  const t = reconstructVectorClocks(tie);
  assert.equal(t.check!.failed, 0);
  assert.equal(t.summary.lamport_ambiguity_rate, null);
  assert.match(r.summary.ambiguity_note!, /clock condition failed/);
});

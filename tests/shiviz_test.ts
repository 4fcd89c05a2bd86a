import assert from "node:assert/strict";
import { runAnalyzer } from "./support/analyzer.ts";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { runSimulationCluster } from "../lib/cluster/simulate.ts";
import { checkShiviz } from "./support/shiviz_check.ts";
import { readLog } from "./support/log_check.ts";

const SAMPLE = "sample_logs/run_2026-11-28_04-06-20";

/** The clock events of each log: [host, type, lamport] in log order. */
function logged(dir: string): string[][] {
  const out: string[][] = [];
  for (const name of [...Deno.readDirSync(dir)].map((d) => d.name).sort()) {
    if (!name.endsWith(".log")) continue;
    for (const e of readLog(`${dir}/${name}`)) {
      if (e.event === "SEND" || e.event === "RECEIVE" || e.event === "INTERNAL") {
        out.push([`machine_${e.machine_id}`, e.event, String(e.new_clock)]);
      }
    }
  }
  return out;
}

function exported(events: { host: string; text: string }[]): string[][] {
  const rows = events.map((e) => {
    const [type, lamport] = e.text.split(" ");
    return [e.host, type, lamport.replace("lamport=", "")];
  });
  return rows.sort((a, b) => a[0].localeCompare(b[0]) || 0); // stable: keeps each host's order
}

Deno.test("--shiviz on the sample run writes a log that passes every ShiViz rule", async () => {
  const dir = Deno.makeTempDirSync();
  const out = await runAnalyzer([SAMPLE, "--out", dir, "--shiviz", `${dir}/run.shiviz.log`], dir);
  const stdout = out.stdout;
  assert.equal(out.code, 0, out.stderr);
  assert.match(stdout, new RegExp(`Wrote ${dir}/run.shiviz.log`));
  const { events, violations } = checkShiviz(Deno.readTextFileSync(`${dir}/run.shiviz.log`));
  assert.deepEqual(violations, []);
  assert.equal(events.length, 600);
  assert.deepEqual(exported(events), logged(SAMPLE));
  assert.match(events.find((e) => e.text.startsWith("RECEIVE"))!.text, /seq=\d+ from=machine_\d/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("ShiViz export of a simulated 8-machine run (messages queued or in flight at END) passes every rule", async () => {
  const dir = Deno.makeTempDirSync();
  const options = parseClusterArgs([
    "--simulate",
    ...["--count", "8", "--duration", "15", "--rate-min", "20", "--rate-max", "40", "--seed", "4"],
  ]);
  await runSimulationCluster(options, { dir, startMs: 1_700_000_000_000, handleSignals: false });
  let text = "";
  const a = analyzeLogs([dir], { causality: { shiviz: (t) => text += t } });
  const m = a.summary.messages!;
  assert.ok(
    m.undelivered + m.queued_at_end > 0,
    `in flight or queued at END: ${JSON.stringify(m)}`,
  );
  const { events, violations } = checkShiviz(text);
  assert.deepEqual(violations, []);
  assert.equal(events.length, a.summary.causality.events);
  assert.deepEqual(exported(events), logged(dir));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("the ShiViz checker catches a wrong clock, a skipped own entry and a missing host", () => {
  let text = "";
  analyzeLogs([SAMPLE], { causality: { shiviz: (t) => text += t } });
  const lines = text.split("\n");
  const i = lines.findIndex((l, k) =>
    k > 2 && l.includes('"machine_1":') && l.includes("machine_2")
  );
  const broken = [...lines];
  broken[i] = broken[i].replace(/"machine_2":(\d+)/, (_, n) => `"machine_2":${Number(n) + 1}`);
  assert.match(checkShiviz(broken.join("\n")).violations.join("\n"), /recomputed/);
  const skipped = [...lines];
  skipped[2] = skipped[2].replace(/"(machine_\d)":1/, '"$1":2');
  assert.match(checkShiviz(skipped.join("\n")).violations.join("\n"), /own entry 2, want 1/);
  const noHost = [...lines];
  noHost[2] = noHost[2].replace(/\{.*\}/, '{"machine_9":1}');
  assert.match(checkShiviz(noHost.join("\n")).violations.join("\n"), /lacks its own host/);
});

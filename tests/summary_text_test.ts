/**
 * The summary as a student reads it: links explained (and what a simulated run cannot show),
 * peers that never connected named first, durations in seconds past 10 s, plain words.
 */
import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { summaryMarkdown } from "../lib/analysis/summary_markdown.ts";
import { observations } from "../lib/analysis/_observations.ts";
import { EventLine } from "../lib/analysis/_event_line.ts";
import { LinkTracker } from "../lib/analysis/_link_tracker.ts";
import { withEditedRun } from "./support/fixture_copy.ts";

const SMALL = "tests/fixtures/run_small";

/** A tracker over machines 1 and 2 (ports 5001, 5002), fed JSON lines of machine index `i`. */
function tracker() {
  const links = new LinkTracker([1, 2], { ports: new Map([[5001, 1], [5002, 2]]) });
  const line = new EventLine();
  const feed = (i: number, json: string) => {
    const bytes = new TextEncoder().encode(json);
    assert.equal(line.parse(bytes, 0, bytes.length), "");
    links.feed(i, line, { path: `m${i + 1}.log`, lineNo: 1 });
  };
  const startup = (i: number, peers: string[]) =>
    feed(
      i,
      `{"event": "STARTUP", "system_time": 0, "machine_id": ${i + 1}, "clock_rate": 1, "peers": ${
        JSON.stringify(peers)
      }}`,
    );
  return { links, feed, startup };
}

Deno.test("LinkTracker: a simulated run logs no link, so nothing is called 'never connected'", () => {
  const { links, startup } = tracker();
  startup(0, ["127.0.0.1:5002"]);
  startup(1, ["127.0.0.1:5001"]);
  const s = links.summary();
  assert.deepEqual([s.logged, s.up, s.never_connected], [false, 0, []]);
});

Deno.test("LinkTracker: a real node that never reached a peer is named even when no link came up at all", () => {
  const { links, feed, startup } = tracker();
  startup(0, ["2@127.0.0.1:5002", "legacy:127.0.0.1:5009", "127.0.0.1:5010"]);
  feed(
    0,
    '{"event": "UNDELIVERED", "system_time": 3, "machine_id": 1, "peer": "127.0.0.1:5002", "to": null, "seq": 1, "clock": 1, "reason": "peer never connected"}',
  );
  feed(
    0,
    '{"event": "LEGACY_PEER", "system_time": 1, "machine_id": 1, "peer": "127.0.0.1:5010", "peer_id": null, "reason": "no hello"}',
  );
  const s = links.summary();
  assert.equal(s.logged, true);
  // The legacy peers (marked, or switched to the original protocol) never say hello: not listed.
  assert.deepEqual(s.never_connected, [{ machine_id: 1, peer: "127.0.0.1:5002", peer_id: 2 }]);
  assert.deepEqual(s.undelivered_by_peer, [{
    machine_id: 1,
    peer: "127.0.0.1:5002",
    peer_id: 2,
    count: 1,
    reason: "peer never connected",
  }]);
});

Deno.test("summaryMarkdown(): observations first, links explained, no jargon", () => {
  const md = summaryMarkdown(analyzeLogs([SMALL]).summary);
  assert.ok(md.indexOf("## Observations") < md.indexOf("## Summary Table"));
  assert.match(
    md,
    /- Connections: 5 came up \(LINK_UP: each end of a link logs one, so 3 machines that all reach each other log 3 × 2 × 2 = 12\), 1 went down/,
  );
  assert.match(
    md,
    /- \*\*Never connected\*\* \(listed as a peer in STARTUP, no LINK_UP to it\): machine 2 to 127\.0\.0\.1:5001 \(machine 1\); machine 2 to 127\.0\.0\.1:5003 \(machine 3\)/,
  );
  assert.match(md, /^Log format: this project's: every message carries its sender/m);
  assert.match(md, /^- Received: 4, each matched to its SEND by \(sender, seq\)$/m);
  assert.doesNotMatch(md, /Received with an id|All 2 machines|LINK_UP: \d+; LINK_DOWN/);
});

Deno.test("summaryMarkdown(): a queue wait past 10 s is written in seconds, shorter ones in ms", async () => {
  const longWait = (lines: string[]) =>
    lines.map((l) => l.replace('"arrival_time": 1764300001.102', '"arrival_time": 1764299989.5'))
      .join("\n") + "\n";
  await withEditedRun(SMALL, { "machine_2.log": longWait }, (dir) => {
    const md = summaryMarkdown(analyzeLogs([dir]).summary);
    assert.match(md, /machine 2 mean 6\.7 s, max 12\.5 s/);
    assert.match(md, /Latency \(RECEIVE time − SEND time\): mean 658\.3 ms, max 900 ms/);
  });
});

Deno.test("observations(): two machines that end level are 'both', not 'all 2'", async () => {
  const level = (lines: string[]) =>
    lines.map((l) => l.replace('"final_clock": 4', '"final_clock": 6')).join("\n") + "\n";
  await withEditedRun(SMALL, { "machine_2.log": level }, (dir) => {
    const two = analyzeLogs([`${dir}/machine_2.log`, `${dir}/machine_3.log`]).summary;
    assert.ok(observations(two).includes("Both machines ended with the same clock (6)."));
  });
});

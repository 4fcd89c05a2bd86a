/**
 * What the analyzer counts per peer address from many lines: the SENDs our nodes made to a peer
 * that turned out to be an original (legacy) node, and the STARTUP peers never linked to. Both
 * number addresses and STARTUP entries once (a 1000-machine run lists a million of them); these
 * tests pin the counts to what the lines say.
 */
import assert from "node:assert/strict";
import { LegacyTraffic } from "../lib/analysis/_legacy_traffic.ts";
import { LinkTracker } from "../lib/analysis/_link_tracker.ts";
import { EventLine } from "../lib/analysis/_event_line.ts";

function parsed(event: Record<string, unknown>): EventLine {
  const line = new EventLine();
  const bytes = new TextEncoder().encode(JSON.stringify(event));
  assert.equal(line.parse(bytes, 0, bytes.length), "");
  return line;
}

const base = (event: string, id: number, t: number) => ({
  event,
  system_time: 1764300000 + t,
  machine_id: id,
});

function send(id: number, t: number, seq: number, recipients: [string, number][]) {
  return parsed({
    ...base("SEND", id, t),
    old_clock: seq - 1,
    new_clock: seq,
    recipients,
    to: recipients.map(() => null),
    seq,
  });
}

Deno.test("LegacyTraffic: SENDs to a peer count as sent to an original node once it is named legacy, before or after, whatever the host's spelling", () => {
  const traffic = new LegacyTraffic({ originalIds: new Set([3]), ports: new Map([[5002, 2]]) });
  const lines = [
    [0, send(1, 0.1, 1, [["127.0.0.1", 5002], ["::1", 5003]])],
    [0, send(1, 0.2, 2, [["[::1]", 5003]])], // the same address as ::1
    [0, parsed({ ...base("LEGACY_PEER", 1, 0.3), peer: "[::1]:5003", peer_id: 3, reason: "x" })],
    [0, send(1, 0.4, 3, [["::1", 5003]])],
    [1, send(2, 0.4, 1, [["::1", 5003]])], // another incarnation: it named no legacy peer
  ] as const;
  for (const [inc, line] of lines) traffic.line(line, inc, true);
  const unconfirmed = parsed({
    ...base("UNCONFIRMED", 1, 0.5),
    peer: "[::1]:5003",
    to: 3,
    seq: 3,
    clock: 3,
    reason: "legacy peer: no ack possible",
  });
  traffic.line(unconfirmed, 0, true);
  const summary = traffic.finish()!;
  assert.equal(summary.sent_to_original, 3); // seq 1, 2 and 3 of incarnation 0
  assert.equal(summary.unconfirmed, 1);
  assert.equal(summary.fate_unknown, 2);
  assert.deepEqual(summary.legacy_peers, ["3@[::1]:5003"]);
  assert.equal(traffic.isLegacy(0, "[::1]:5003"), true);
  assert.equal(traffic.isLegacy(1, "[::1]:5003"), false);
});

Deno.test("LinkTracker: the STARTUP peers never linked to, per machine, with ids by entry or by local port", () => {
  const tracker = new LinkTracker([1, 2, 3], { ports: new Map([[5001, 1], [5002, 2], [5003, 3]]) });
  const at = { path: "x.log", lineNo: 1 };
  const peers = (self: number) =>
    [1, 2, 3].filter((i) => i !== self).map((i) =>
      i === 3 ? `3@localhost:500${i}` : `127.0.0.1:500${i}`
    );
  for (const id of [1, 2, 3]) {
    tracker.feed(
      id - 1,
      parsed({
        ...base("STARTUP", id, 0),
        clock_rate: 1,
        port: 5000 + id,
        peers: [...peers(id), "legacy:9@10.0.0.9:7000"],
      }),
      at,
    );
  }
  const up = (id: number, peer: string) =>
    parsed({ ...base("LINK_UP", id, 1), peer, peer_id: null, direction: "out" });
  tracker.feed(0, up(1, "127.0.0.1:5002"), at);
  tracker.feed(0, up(1, "localhost:5003"), at);
  tracker.feed(1, up(2, "127.0.0.1:5001"), at);
  const never = tracker.summary().never_connected;
  assert.deepEqual(never, [
    { machine_id: 2, peer: "localhost:5003", peer_id: 3 },
    { machine_id: 3, peer: "127.0.0.1:5001", peer_id: 1 },
    { machine_id: 3, peer: "127.0.0.1:5002", peer_id: 2 },
  ]);
  assert.equal(tracker.summary().up, 3);
});

/**
 * One outbound link (`OutLink`) against a tiny listener written in the test, and against the
 * node's own inbound side (`serveInbound`): hello, acks, re-sends after a dropped connection,
 * a peer that never answers, a full queue, a hello naming the wrong id; and the legacy link
 * (bare integers) a peer marked legacy, or one that never answers a hello, gets.
 */
import assert from "node:assert/strict";
import { OutLink } from "../lib/node/tcp_link.ts";
import { LEGACY_UNCONFIRMED, LegacyLink } from "../lib/node/legacy_link.ts";
import { SILENT_ATTEMPTS } from "../lib/node/link_options.ts";
import { createPeerLink, type PeerLink, type PeerLinkContext } from "../lib/node/peer_link.ts";
import { type InboundContext, serveInbound } from "../lib/node/inbound_link.ts";
import type { Incoming } from "../lib/core/machine.ts";
import { ProtocolError } from "../lib/core/protocol_error.ts";
import { parseFrame } from "../lib/core/wire.ts";

type Event = { event: string } & Record<string, unknown>;

/** A reporter that keeps what it is given. */
function recorder(): { events: Event[]; report: (event: string, fields: object) => void } {
  const events: Event[] = [];
  return { events, report: (event, fields) => events.push({ event, ...fields }) };
}

/** Reads newline-terminated lines from `conn` (empty lines are keepalives, skipped). */
async function* lines(conn: Deno.Conn): AsyncGenerator<string> {
  const dec = new TextDecoder();
  const buf = new Uint8Array(4096);
  let text = "";
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) return;
    text += dec.decode(buf.subarray(0, n), { stream: true });
    let nl;
    while ((nl = text.indexOf("\n")) >= 0) {
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      if (line.trim() !== "") yield line;
    }
  }
}

async function write(conn: Deno.Conn, line: string): Promise<void> {
  const bytes = new TextEncoder().encode(line + "\n");
  for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
}

/** Waits until `ok()` holds (polling), or fails after `ms`. */
async function until(ok: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A port nothing listens on. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const msg = (seq: number) => ({ type: "msg" as const, from: 1, seq, clock: 10 * seq });

Deno.test("OutLink says hello, reports LINK_UP with the peer's id, and stops holding frames once acknowledged", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const got: unknown[] = [];
  const server = (async () => {
    const conn = await listener.accept();
    const it = lines(conn);
    got.push(parseFrame((await it.next()).value!)); // the hello
    await write(conn, '{"type":"hello","id":2}');
    for (let i = 0; i < 3; i++) got.push(parseFrame((await it.next()).value!));
    await write(conn, '{"type":"ack","seq":3}');
    for await (const _ of it) { /* until the link closes */ }
    conn.close();
  })();
  const { events, report } = recorder();
  const link = new OutLink({ selfId: 1, session: 7, peer: { host: "127.0.0.1", port }, report });
  for (const seq of [1, 2, 3]) link.send(msg(seq));
  await until(() => link.up && link.pending === 0, "the ack");
  assert.equal(link.peerId, 2);
  await link.close({ drainMs: 100 });
  await server;
  listener.close();
  assert.deepEqual(got, [{ type: "hello", id: 1, session: 7 }, msg(1), msg(2), msg(3)]);
  assert.deepEqual(events, [
    { event: "LINK_UP", peer: `127.0.0.1:${port}`, peer_id: 2, direction: "out" },
  ]);
});

Deno.test("OutLink re-sends the frames not acknowledged when the peer drops the connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const seqs: number[][] = [];
  const server = (async () => {
    for (const ack of [false, true]) {
      const conn = await listener.accept();
      const it = lines(conn);
      await it.next(); // hello
      await write(conn, '{"type":"hello","id":2}');
      const these: number[] = [];
      for (let i = 0; i < 2; i++) {
        these.push((parseFrame((await it.next()).value!) as { seq: number }).seq);
      }
      seqs.push(these);
      if (ack) {
        await write(conn, '{"type":"ack","seq":2}');
        for await (const _ of it) { /* until the link closes */ }
      }
      conn.close();
    }
  })();
  const { events, report } = recorder();
  const link = new OutLink({ selfId: 1, peer: { host: "127.0.0.1", port }, report });
  link.send(msg(1));
  link.send(msg(2));
  await until(() => seqs.length === 2 && link.pending === 0, "the second connection's ack");
  await link.close();
  await server;
  listener.close();
  assert.deepEqual(seqs, [[1, 2], [1, 2]]); // the same frames again: the receiver drops copies
  assert.deepEqual(events.map((e) => e.event), ["LINK_UP", "LINK_DOWN", "LINK_UP"]);
  assert.equal(events[1].reason, "peer closed the connection");
});

Deno.test("OutLink reports a full queue at once and, at close, what a peer that never answered did not get", async () => {
  const port = freePort();
  const { events, report } = recorder();
  const link = new OutLink({
    selfId: 1,
    peer: { host: "127.0.0.1", port, id: 2 },
    report,
    maxQueue: 1,
    connectTimeoutMs: 200,
  });
  link.send(msg(1));
  link.send(msg(2)); // the queue holds one frame
  await link.close();
  assert.deepEqual(events, [
    {
      event: "UNDELIVERED",
      peer: `127.0.0.1:${port}`,
      to: 2,
      seq: 2,
      clock: 20,
      reason: "outbound queue full (1)",
    },
    {
      event: "UNDELIVERED",
      peer: `127.0.0.1:${port}`,
      to: 2,
      seq: 1,
      clock: 10,
      reason: "peer never connected",
    },
  ]);
});

Deno.test("OutLink refuses a hello naming another id than the one given in --peers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const server = (async () => {
    const conn = await listener.accept();
    const it = lines(conn);
    await it.next();
    await write(conn, '{"type":"hello","id":3}');
    for await (const _ of it) { /* the link hangs up */ }
    conn.close();
  })();
  const { events, report } = recorder();
  const link = new OutLink({ selfId: 1, peer: { host: "127.0.0.1", port, id: 2 }, report });
  await until(() => events.length > 0, "the PROTOCOL_ERROR");
  await link.close();
  await server;
  listener.close();
  assert.equal(link.up, false);
  assert.equal(events[0].event, "PROTOCOL_ERROR");
  assert.equal(
    events[0].reason,
    `Cannot accept hello.id from 127.0.0.1:${port}: current value is 3 (want 2, as given in --peers)`,
  );
  assert.ok(new ProtocolError("x") instanceof Error);
});

Deno.test("OutLink and serveInbound: messages delivered once, in order, acknowledged; both ends log the link", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const delivered: Incoming[] = [];
  const inbound = recorder();
  const lastSeq = new Map<string, number>();
  const ctx: InboundContext = {
    selfId: 2,
    peerIds: null,
    limits: { helloTimeoutMs: 2000, idleTimeoutMs: 0, maxReceiveQueue: 100 },
    auth: null,
    allowLegacy: false,
    report: inbound.report as InboundContext["report"],
    deliver: (m) => (delivered.push(m), ""),
    queueLength: () => 0,
    now: Date.now,
    lastSeq,
    claim: () => "",
    release: () => {},
    onMessage: () => {},
  };
  const server = (async () => {
    const conn = await listener.accept();
    await serveInbound(conn, ctx);
    try {
      conn.close(); // the transport's job once a link ends
    } catch { /* already closed */ }
  })();
  const outbound = recorder();
  const link = new OutLink({
    selfId: 1,
    session: 9,
    peer: { host: "127.0.0.1", port },
    report: outbound.report,
  });
  for (const seq of [1, 2, 3]) link.send(msg(seq));
  await until(() => link.pending === 0 && delivered.length === 3, "delivery and acks");
  await link.close();
  await server;
  listener.close();
  assert.deepEqual(
    delivered.map((m) => [m.from, m.seq, m.clock, m.session]),
    [[1, 1, 10, 9], [1, 2, 20, 9], [1, 3, 30, 9]],
  );
  assert.deepEqual(outbound.events.map((e) => [e.event, e.peer_id]), [["LINK_UP", 2]]);
  assert.deepEqual(inbound.events.map((e) => [e.event, e.peer_id, e.direction]), [
    ["LINK_UP", 1, "in"],
    ["LINK_DOWN", 1, "in"],
  ]);
});

/** Accepts connections and collects what each one carried (a legacy peer's view). */
function legacyListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const received: string[] = [];
  const served = (async () => {
    for await (const conn of listener) {
      for await (const line of lines(conn)) received.push(line);
      conn.close();
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    received,
    async close() {
      listener.close();
      await served.catch(() => {});
    },
  };
}

Deno.test("createPeerLink(): a peer marked legacy gets bare integers, one connection each, logged UNCONFIRMED", async () => {
  const peer = legacyListener();
  const { events, report } = recorder();
  const link = createPeerLink({ host: "127.0.0.1", port: peer.port, id: 3, legacy: true }, {
    selfId: 1,
    session: 5,
    report: report as PeerLinkContext["report"],
    heartbeatMs: 0,
    auth: null,
    replace: () => {},
  });
  assert.ok(link instanceof LegacyLink);
  link.send(msg(1));
  link.send(msg(2));
  await until(() => peer.received.length === 2, "two bare integers");
  await link.close({ drainMs: 100 });
  await peer.close();
  assert.deepEqual(peer.received, ["10", "20"]);
  assert.deepEqual(events.map((e) => [e.event, e.seq ?? null]), [
    ["LEGACY_PEER", null],
    ["UNCONFIRMED", 1],
    ["UNCONFIRMED", 2],
  ]);
  assert.equal(events[1].reason, LEGACY_UNCONFIRMED);
});

Deno.test("createPeerLink(): a peer that accepts but never answers the hello is switched to the legacy protocol", async () => {
  const peer = legacyListener(); // reads our hello, says nothing
  const { events, report } = recorder();
  let replaced: PeerLink | null = null;
  const link = createPeerLink({ host: "127.0.0.1", port: peer.port }, {
    selfId: 1,
    session: 5,
    report: report as PeerLinkContext["report"],
    connectTimeoutMs: 150,
    heartbeatMs: 0,
    auth: null,
    replace: (_old, next) => (replaced = next),
  });
  link.send(msg(1));
  await until(() => replaced !== null, `the switch after ${SILENT_ATTEMPTS} silent connections`);
  const legacy = replaced! as LegacyLink;
  await until(() => peer.received.includes("10"), "the message as a bare integer");
  await link.close();
  await legacy.close({ drainMs: 100 });
  await peer.close();
  assert.ok(legacy instanceof LegacyLink);
  assert.deepEqual(events.filter((e) => e.event !== "UNCONFIRMED").map((e) => e.event), [
    "LEGACY_PEER",
  ]);
  assert.match(String(events[0].reason), /taken for an original \(Python\) node/);
});

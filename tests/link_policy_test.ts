/**
 * How a node paces its outbound connection attempts (`lib/node/link_policy.ts`): the handshake
 * gate, the order of the first connections, and the retry backoff with jitter.
 */
import assert from "node:assert/strict";
import {
  BACKOFF,
  HandshakeGate,
  linkOrder,
  nextBackoff,
  retryDelay,
} from "../lib/node/link_policy.ts";

const never = () => new AbortController().signal;
const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("HandshakeGate: at most `limit` inside; the waiting enter first come, first served", async () => {
  const gate = new HandshakeGate(2);
  const order: number[] = [];
  const leaves = new Map<number, () => void>();
  const entries = [1, 2, 3, 4, 5].map((i) =>
    gate.enter(never()).then((leave) => {
      order.push(i);
      leaves.set(i, leave);
    })
  );
  await tick();
  assert.deepEqual(order, [1, 2]);
  assert.equal(gate.inside, 2);
  leaves.get(2)!();
  leaves.get(2)!(); // leaving twice gives back one place only
  await tick();
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(gate.inside, 2);
  leaves.get(1)!();
  leaves.get(3)!();
  await tick();
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
  leaves.get(4)!();
  leaves.get(5)!();
  await Promise.all(entries);
  assert.equal(gate.inside, 0);
});

Deno.test("HandshakeGate: held admits no one until open(), then up to the limit in order", async () => {
  const gate = new HandshakeGate(2, { held: true });
  assert.equal(gate.held, true);
  const order: number[] = [];
  [1, 2, 3].forEach((i) => gate.enter(never()).then(() => order.push(i)));
  await tick();
  assert.deepEqual(order, []);
  assert.equal(gate.inside, 0);
  gate.open();
  gate.open(); // once is enough
  await tick();
  assert.equal(gate.held, false);
  assert.deepEqual(order, [1, 2]);
  assert.equal(gate.inside, 2);
});

Deno.test("HandshakeGate: an abort while waiting gives up the turn and takes no place", async () => {
  const gate = new HandshakeGate(1);
  const first = await gate.enter(never());
  const abort = new AbortController();
  let aborted: (() => void) | null = null;
  const waiting = gate.enter(abort.signal).then((leave) => (aborted = leave));
  const later = gate.enter(never());
  abort.abort();
  await waiting;
  assert.notEqual(aborted, null);
  aborted!(); // the no-op: nothing was taken
  assert.equal(gate.inside, 1);
  first();
  const leave = await later; // the next in line gets the place, not the aborted one
  assert.equal(gate.inside, 1);
  leave();
  assert.equal(gate.inside, 0);
  const done = new AbortController();
  done.abort();
  (await gate.enter(done.signal))(); // already aborted: resolves at once, takes nothing
  assert.equal(gate.inside, 0);
});

Deno.test("HandshakeGate: a limit below 1 admits one at a time", async () => {
  const gate = new HandshakeGate(0);
  await gate.enter(never());
  let second = false;
  gate.enter(never()).then(() => (second = true));
  await tick();
  assert.equal(second, false);
});

Deno.test("linkOrder(): every peer once; higher ids first, then lower; first targets spread over the cluster", () => {
  const peersOf = (self: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: i + 1 })).filter((p) => p.id !== self);
  for (const self of [1, 5, 8]) {
    const peers = peersOf(self, 8);
    const order = linkOrder(peers, self);
    assert.deepEqual([...order].sort((a, b) => a - b), peers.map((_, i) => i));
    const ids = order.map((i) => peers[i].id);
    const above = ids.filter((id) => id > self);
    assert.deepEqual(ids, [...above, ...ids.filter((id) => id < self)]);
    assert.deepEqual(above, [...above].sort((a, b) => a - b));
  }
  // In a 64-node cluster, each node is the first target of one other (i -> i + 1, 64 -> 1),
  // not node 1 the first target of all.
  const firsts = new Set(
    Array.from({ length: 64 }, (_, i) => {
      const peers = peersOf(i + 1, 64);
      return peers[linkOrder(peers, i + 1)[0]].id;
    }),
  );
  assert.equal(firsts.size, 64);
  // Peers without an id (addresses only) keep their order, after the others.
  assert.deepEqual(linkOrder([{}, { id: 1 }, {}, { id: 9 }], 5), [3, 1, 0, 2]);
});

Deno.test("retryDelay() and nextBackoff(): delays in [step/2, step), steps doubling up to the cap", () => {
  let step: number = BACKOFF.firstMs;
  const steps = [step];
  while (step < BACKOFF.maxMs) steps.push(step = nextBackoff(step));
  assert.deepEqual(steps, [50, 100, 200, 400, 800, 1600, 2000]);
  assert.equal(nextBackoff(BACKOFF.maxMs), BACKOFF.maxMs);
  for (const r of [0, 0.25, 0.999]) {
    const d = retryDelay(800, () => r);
    assert.ok(d >= 400 && d < 800, `delay ${d}`);
  }
  // Links that failed together spread their retries: no two of these 100 wait the same.
  let seed = 1;
  const lcg = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const delays = new Set(Array.from({ length: 100 }, () => retryDelay(1600, lcg)));
  assert.equal(delays.size, 100);
});

import assert from "node:assert/strict";
import { EV_SEND, EventLine, KEY } from "../lib/analysis/_event_line.ts";
import { checkEvent } from "../lib/analysis/_event_schema.ts";

const enc = new TextEncoder();
const SEND =
  '{"event": "SEND", "system_time": 1764300001.1, "machine_id": 1, "old_clock": 2, "new_clock": 3, "recipients": [["127.0.0.1", 5002], ["::1", 5003]], "to": [2, null], "seq": 2}';
const END =
  '{"event": "END", "system_time": 1764300002.15, "machine_id": 2, "final_clock": 4, "queued": 1, "queued_msgs": [{"from": 3, "seq": 2, "clock": 5}]}';

function parse(text: string): { line: EventLine; error: string } {
  const line = new EventLine();
  const bytes = enc.encode(text);
  return { line, error: line.parse(bytes, 0, bytes.length) };
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function jsonParseAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

Deno.test("EventLine.parse() reads every field of a SEND and an END", () => {
  const { line, error } = parse(SEND);
  assert.equal(error, "");
  assert.equal(line.event, EV_SEND);
  assert.equal(line.num[KEY.system_time], 1764300001.1);
  assert.deepEqual([line.num[KEY.old_clock], line.num[KEY.new_clock], line.num[KEY.seq]], [
    2,
    3,
    2,
  ]);
  assert.deepEqual([...line.to.a.subarray(0, line.to.n)], [2, NaN]);
  assert.deepEqual([line.recipientHost(0), line.recipientHost(1)], ["127.0.0.1", "::1"]);
  assert.deepEqual([...line.recipientPort.a.subarray(0, 2)], [5002, 5003]);
  assert.equal(checkEvent(line, { ids: true }), "");
  const end = parse(END);
  assert.equal(end.error, "");
  // from, seq, clock, session (NaN: not logged)
  assert.deepEqual([...end.line.queuedMsgs.a.subarray(0, end.line.queuedMsgs.n)], [3, 2, 5, NaN]);
});

Deno.test("EventLine.parse() reads numbers exactly as JSON.parse does", () => {
  const rand = prng(7);
  const samples = ["0", "-0", "1e3", "1E-2", "0.1", "123456789012345.5", "1741205400.0000124"];
  for (let i = 0; i < 3000; i++) {
    const whole = Math.floor(rand() * 2e9);
    const frac = String(Math.floor(rand() * 1e7)).padStart(7, "0").slice(0, 1 + (i % 7));
    samples.push(`${whole}.${frac}`, `${i % 2 ? "-" : ""}${Math.floor(rand() * 1e6)}`);
  }
  for (let i = 0; i < 20000; i++) {
    // 16-17 significant digits, as time.time() and the simulation write them
    const t = 1795836597 + rand() * 1e6;
    samples.push(String(t), t.toFixed(1 + (i % 7)));
  }
  for (let e = 40; e <= 49; e++) {
    // exact ties between two doubles (round half to even), written with <= 15 fraction digits
    const bits = 53 - e;
    for (let j = 0; j < 50; j++) {
      const scaled = (BigInt(2 ** e) << BigInt(bits)) + BigInt(2 * Math.floor(rand() * 1e6) + 1);
      const int = scaled >> BigInt(bits);
      const frac = ((scaled - (int << BigInt(bits))) * 10n ** BigInt(bits)) >> BigInt(bits);
      samples.push(`${int}.${frac.toString().padStart(bits, "0")}`);
    }
  }
  for (const s of samples) {
    const { line, error } = parse(`{"system_time": ${s}}`);
    assert.equal(error, "", s);
    assert.ok(Object.is(line.num[KEY.system_time], JSON.parse(s)), `${s} parsed differently`);
  }
});

Deno.test("EventLine.parse() rejects exactly the lines JSON.parse rejects (random mutations)", () => {
  const rand = prng(42);
  const bases = [SEND, END];
  const junk = [
    '"',
    ",",
    "}",
    "]",
    "{",
    "[",
    ":",
    " ",
    "\\",
    "-",
    ".",
    "e",
    "0",
    "n",
    "\t",
    "\u0001",
  ];
  let rejected = 0;
  for (let i = 0; i < 4000; i++) {
    let text = bases[i % 2];
    const edits = 1 + Math.floor(rand() * 2);
    for (let j = 0; j < edits; j++) {
      const at = Math.floor(rand() * text.length);
      const op = rand();
      const c = junk[Math.floor(rand() * junk.length)];
      if (op < 0.4) text = text.slice(0, at) + text.slice(at + 1);
      else if (op < 0.7) text = text.slice(0, at) + c + text.slice(at);
      else text = text.slice(0, at) + c + text.slice(at + 1);
    }
    const ours = parse(text).error;
    const syntaxOk = !ours.startsWith("Cannot parse line as JSON");
    assert.equal(syntaxOk, jsonParseAccepts(text), `disagreement on: ${text}\n${ours}`);
    if (!syntaxOk) rejected++;
  }
  assert.ok(rejected > 1000, `only ${rejected} mutations were rejected`);
});

Deno.test("EventLine.parse() explains a malformed line with its column", async (t) => {
  await t.step("trailing comma", () => {
    assert.equal(
      parse('{"event": "INTERNAL", "machine_id": 1,}').error,
      "Cannot parse line as JSON: expected a key: current value is '}' at column 39",
    );
  });
  await t.step("cut line", () => {
    assert.equal(
      parse('{"event": "INTERNAL", "machine_id": 1').error,
      "Cannot parse line as JSON: expected ',' or '}' at end of line",
    );
  });
  await t.step("NaN, which Python's json.dumps can write", () => {
    assert.match(parse('{"system_time": NaN}').error, /expected a value: current value is 'N'/);
  });
  await t.step("not an object", () => {
    assert.equal(parse("[1, 2]").error, "Cannot read the event as the line must be a JSON object");
  });
});

Deno.test("checkEvent() names the missing or mistyped key", () => {
  const wrong = parse(SEND.replace('"new_clock": 3', '"new_clock": "3"'));
  assert.equal(
    wrong.error,
    'Cannot read "new_clock" as it must be an integer: current value is "3"',
  );
  const missing = parse(SEND.replace(', "seq": 2', ""));
  assert.equal(missing.error, "");
  assert.equal(checkEvent(missing.line, { ids: true }), 'Cannot read SEND event: "seq" is missing');
  assert.equal(checkEvent(missing.line, { ids: false }), "");
  const unknown = parse('{"event": "REBOOT", "system_time": 1, "machine_id": 1}');
  assert.equal(
    checkEvent(unknown.line, { ids: false }),
    'Cannot read the event as "event" is not a known event name: current value is "REBOOT"',
  );
  const toCount = parse(SEND.replace('"to": [2, null]', '"to": [2]'));
  assert.match(
    checkEvent(toCount.line, { ids: true }),
    /one entry per recipient: current value has 1 for 2/,
  );
});
